package io.acip.gateway.attach;

import io.acip.wire.SkillName;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an A2A Agent Card ({@code /.well-known/agent-card.json}) into a registration, tolerating what it does not
 * use (unknown fields are ignored, as A2A asks of clients).
 *
 * <p>Both card shapes are understood. A2A 0.3 gives the endpoint as a top-level {@code url} (with
 * {@code protocolVersion} "0.3.0"); A2A 1.0 lists {@code supportedInterfaces[]}, each with {@code url} and
 * {@code protocolBinding} ({@code JSONRPC}, {@code HTTP+JSON}, {@code GRPC}, or a custom URI). From 1.0 cards the
 * first interface with an HTTP binding the gateway can forward (JSONRPC or HTTP+JSON) is taken, else the first;
 * its URL becomes the origin.
 *
 * <p>Each skill's {@code id} becomes an ACIP skill name under the configured namespace: namespace {@code travel}
 * and id {@code Book Flight} give {@code travel/book-flight}. Normalising lowercases the id, turns every run of
 * characters outside {@code a-z 0-9 - _} into one {@code -} and trims {@code -} from both ends; an id left empty
 * (or longer than a segment may be) is refused, as are two ids that normalise to the same name. The skill's
 * {@code description} (else its {@code name}) is kept, and its {@code tags} become the attribute {@code tags}
 * (comma-separated); the original id is kept as attribute {@code a2a-id}.
 */
public final class AgentCard {
    private static final int MAX_SEGMENT = 63;

    private AgentCard() {
    }

    /**
     * @param namespace the skill-name prefix this agent's skills are registered under
     */
    public static AgentRegistration parse(byte[] json, SkillName namespace) throws RegistrationException {
        JsonAt root = JsonAt.parse(json);
        String agent = RegistrationDocument.agentName(root.field("name"));
        URI origin = RegistrationDocument.origin(endpoint(root));
        JsonAt skillsAt = root.field("skills");
        List<JsonAt> elements = skillsAt.elements();
        if (elements.isEmpty()) throw skillsAt.error("must list at least one skill to attach");
        List<AgentSkill> skills = new ArrayList<>(elements.size());
        Map<SkillName, String> seen = new LinkedHashMap<>();
        for (JsonAt s : elements) {
            AgentSkill skill = skill(s, namespace);
            String first = seen.putIfAbsent(skill.name(), s.path());
            if (first != null) {
                throw s.field("id").error("normalises to " + skill.name() + ", as the id at " + first + " does");
            }
            skills.add(skill);
        }
        return new AgentRegistration(agent, origin, Optional.empty(), skills);
    }

    /** The JSON value holding the agent's URL: A2A 1.0's chosen interface, else A2A 0.3's top-level url. */
    private static JsonAt endpoint(JsonAt root) throws RegistrationException {
        JsonAt interfaces = root.field("supportedInterfaces");
        if (!interfaces.present()) {
            JsonAt url = root.field("url");
            if (!url.present()) {
                throw url.error("missing (a card gives either url, A2A 0.3, or supportedInterfaces, A2A 1.0)");
            }
            return url;
        }
        List<JsonAt> list = interfaces.elements();
        if (list.isEmpty()) throw interfaces.error("must list at least one interface");
        for (JsonAt i : list) {
            Optional<String> binding = i.field("protocolBinding").optionalText();
            String b = binding.orElse("").toUpperCase(Locale.ROOT);
            if (b.equals("JSONRPC") || b.equals("HTTP+JSON")) return i.field("url");
        }
        return list.get(0).field("url");
    }

    private static AgentSkill skill(JsonAt s, SkillName namespace) throws RegistrationException {
        if (!s.present() || !s.node().isObject()) throw s.error("must be an object");
        JsonAt idAt = s.field("id");
        String id = idAt.text();
        String segment = segment(id);
        if (segment.isEmpty()) throw idAt.error("'" + id + "' has no letter or digit to make a skill name from");
        if (segment.length() > MAX_SEGMENT) {
            throw idAt.error("longer than " + MAX_SEGMENT + " characters once normalised");
        }
        String full = namespace.value() + "/" + segment;
        if (!SkillName.isValid(full)) {
            try {
                new SkillName(full);
            } catch (IllegalArgumentException e) {
                throw idAt.error(e.getMessage());
            }
        }
        String description = s.field("description").optionalText()
                .orElse(s.field("name").present() && s.field("name").node().isTextual()
                        ? s.field("name").node().textValue() : "");
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("a2a-id", id);
        String tags = tags(s.field("tags"));
        if (!tags.isEmpty()) attributes.put("tags", tags);
        return new AgentSkill(new SkillName(full), description, Optional.empty(), attributes, "");
    }

    private static String tags(JsonAt at) throws RegistrationException {
        if (!at.present()) return "";
        List<String> out = new ArrayList<>();
        for (JsonAt t : at.elements()) out.add(t.text());
        return String.join(",", out);
    }

    /** One skill-name segment from an A2A skill id, or "" when nothing usable is left. */
    static String segment(String id) {
        StringBuilder out = new StringBuilder(id.length());
        boolean dash = false;
        for (char c : id.toLowerCase(Locale.ROOT).toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (ok && c != '-') {
                out.append(c);
                dash = false;
            } else if (!dash) {
                out.append('-');
                dash = true;
            }
        }
        int start = 0;
        int end = out.length();
        while (start < end && out.charAt(start) == '-') start++;
        while (end > start && out.charAt(end - 1) == '-') end--;
        return out.substring(start, end);
    }
}
