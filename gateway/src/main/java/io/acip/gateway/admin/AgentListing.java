package io.acip.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.acip.gateway.AgentAttachment;
import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.AgentSkill;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /agents}: the agents attached to this node, each with its origin, UDP endpoint, whether it came from the
 * configuration file or a run-time registration, and its skills (name, path prefix, region, attributes, UDP endpoint).
 */
final class AgentListing {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentListing() {
    }

    static String json(AgentAttachment agents) throws JsonProcessingException {
        List<Map<String, Object>> out = new ArrayList<>();
        List<AgentRegistration> sorted = new ArrayList<>(agents.agents());
        sorted.sort(Comparator.comparing(AgentRegistration::agent));
        for (AgentRegistration a : sorted) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("agent", a.agent());
            m.put("origin", a.origin().toString());
            m.put("udp", a.udp().map(Object::toString).orElse(null));
            m.put("source", agents.configured(a.agent()) ? "configuration" : "registered");
            List<Map<String, Object>> skills = new ArrayList<>();
            for (AgentSkill s : a.skills()) {
                Map<String, Object> k = new LinkedHashMap<>();
                k.put("name", s.name().value());
                k.put("path", s.pathPrefix());
                k.put("region", s.region().orElse(null));
                k.put("attributes", s.attributes());
                k.put("udp", s.udp().map(Object::toString).orElse(null));
                skills.add(k);
            }
            m.put("skills", skills);
            out.add(m);
        }
        return JSON.writeValueAsString(Map.of("agents", out));
    }
}
