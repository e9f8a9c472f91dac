package io.acip.gateway.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acip.capsule.fuzz.AllocationBudget;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * Registration documents (the admin plane's attach body) under Jazzer. Contract: parse returns a registration or
 * raises {@link RegistrationException} naming a JSON path, nothing else; a registration written back as a document
 * parses to an equal registration; parsing allocates within a bounded multiple of the document's size.
 */
@Timeout(10)
class RegistrationDocumentFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest
    void parse(byte[] document) throws Exception {
        AgentRegistration[] parsed = new AgentRegistration[1];
        AllocationBudget.check(document, AllocationBudget.of(document, 256, 0), () -> {
            try {
                parsed[0] = RegistrationDocument.parse(document);
            } catch (RegistrationException refused) {
                assertFalse(refused.path().isEmpty());
                assertNotNull(refused.problem());
                parsed[0] = null;
            }
        });
        AgentRegistration r = parsed[0];
        if (r == null) return;
        assertEquals(r, RegistrationDocument.parse(JSON.writeValueAsBytes(document(r))));
    }

    /** The document that says what {@code r} holds. */
    private static ObjectNode document(AgentRegistration r) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("agent", r.agent());
        doc.put("origin", r.origin().toString());
        r.udp().ifPresent(u -> doc.put("udp", u.toString()));
        var skills = doc.putArray("skills");
        for (AgentSkill s : r.skills()) {
            ObjectNode skill = skills.addObject();
            skill.put("name", s.name().toString());
            // Optional fields are left out when empty, since given they must not be.
            if (!s.description().isEmpty()) skill.put("description", s.description());
            s.region().ifPresent(region -> skill.put("region", region));
            if (!s.attributes().isEmpty()) {
                ObjectNode attributes = skill.putObject("attributes");
                for (Map.Entry<String, String> a : s.attributes().entrySet()) attributes.put(a.getKey(), a.getValue());
            }
            if (!s.pathPrefix().isEmpty()) skill.put("pathPrefix", s.pathPrefix());
            s.udp().ifPresent(u -> skill.put("udp", u.toString()));
        }
        return doc;
    }
}
