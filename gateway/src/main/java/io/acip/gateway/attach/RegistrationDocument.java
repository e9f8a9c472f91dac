package io.acip.gateway.attach;

import io.acip.gateway.policy.AllowList;
import io.acip.wire.SkillName;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's own attachment document: plain JSON an agent (or its operator) posts to register.
 *
 * <pre>{@code
 * {
 *   "agent": "travel",
 *   "origin": "http://10.0.0.5:8080",
 *   "udp": "10.0.0.5:4433",
 *   "skills": [
 *     { "name": "travel/book-flight",
 *       "description": "Books a flight",
 *       "region": "eu-west-1",
 *       "attributes": { "gpu": "false", "tier": "gold" },
 *       "pathPrefix": "/flights" },
 *     { "name": "travel/search", "capacity": 16 },
 *     { "name": "travel/voice", "udp": "10.0.0.5:5004" },
 *     { "name": "travel/ssh", "tunnel": "tcp" }
 *   ]
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@code agent} (required): a name for people and logs, 1..256 printable characters.</li>
 *   <li>{@code origin} (required): absolute {@code http} or {@code https} URL, without query, fragment or user
 *       info; its path, if any, prefixes every request.</li>
 *   <li>{@code udp} (optional): {@code host:port} or {@code [v6]:port} where the agent takes UDP.</li>
 *   <li>{@code skills} (required, at least one): {@code name} (required) is an ACIP skill name, lowercase
 *       {@code a-z 0-9 - _} segments joined by {@code /} ({@link SkillName}); {@code description},
 *       {@code region} and {@code pathPrefix} (starting with {@code /}) are optional strings; {@code attributes} is
 *       an optional object whose values are strings, numbers or booleans (kept as text); {@code udp} (optional)
 *       is where that skill's UDP flows go instead of the agent's {@code udp}; {@code allow} (optional) lists
 *       who may call the skill ({@code group:<name>}, {@code identity:<uri>}, {@code authenticated},
 *       {@code anonymous}), checked against the initiator a node attested (docs/security.md);
 *       {@code "tunnel": "tcp"} (optional) lets CONNECT tunnels to the skill reach the origin's host and port as
 *       bytes (without it they are intercepted where the edge may, else refused).</li>
 * </ul>
 *
 * Unknown fields are refused, so a misspelt field is an error rather than a silently missing setting. Every error
 * names the JSON path of the field at fault ({@code skills[1].name: ...}).
 */
public final class RegistrationDocument {
    /** The largest capacity a document may declare: a million sessions at once is no agent's. */
    static final int MAX_CAPACITY = 1_000_000;

    private RegistrationDocument() {
    }

    public static AgentRegistration parse(byte[] json) throws RegistrationException {
        JsonAt root = JsonAt.parse(json);
        root.onlyKnown("agent", "origin", "udp", "skills");
        String agent = agentName(root.field("agent"));
        URI origin = origin(root.field("origin"));
        Optional<UdpEndpoint> udp = udp(root.field("udp"));
        JsonAt skillsAt = root.field("skills");
        List<JsonAt> elements = skillsAt.elements();
        if (elements.isEmpty()) throw skillsAt.error("must list at least one skill");
        List<AgentSkill> skills = new ArrayList<>(elements.size());
        Map<SkillName, String> seen = new LinkedHashMap<>();
        for (JsonAt s : elements) {
            AgentSkill skill = skill(s);
            String first = seen.putIfAbsent(skill.name(), s.path());
            if (first != null) throw s.field("name").error("'" + skill.name() + "' is already listed at " + first);
            skills.add(skill);
        }
        return new AgentRegistration(agent, origin, udp, skills);
    }

    static String agentName(JsonAt at) throws RegistrationException {
        String name = at.text();
        if (name.length() > AgentRegistration.MAX_AGENT_NAME) {
            throw at.error("longer than " + AgentRegistration.MAX_AGENT_NAME + " characters");
        }
        if (name.chars().anyMatch(Character::isISOControl)) throw at.error("holds a control character");
        return name;
    }

    static URI origin(JsonAt at) throws RegistrationException {
        String text = at.text();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw at.error("not a URL: " + e.getReason());
        }
        String problem = AgentRegistration.originProblem(uri);
        if (problem != null) throw at.error(problem + " (got '" + text + "')");
        return uri;
    }

    private static Optional<UdpEndpoint> udp(JsonAt at) throws RegistrationException {
        Optional<String> text = at.optionalText();
        if (text.isEmpty()) return Optional.empty();
        try {
            return Optional.of(UdpEndpoint.parse(text.get()));
        } catch (IllegalArgumentException e) {
            throw at.error(e.getMessage());
        }
    }

    private static AgentSkill skill(JsonAt s) throws RegistrationException {
        s.onlyKnown("name", "description", "region", "attributes", "pathPrefix", "udp", "allow", "tunnel", "capacity");
        JsonAt nameAt = s.field("name");
        String name = nameAt.text();
        if (!SkillName.isValid(name)) {
            try {
                new SkillName(name);
            } catch (IllegalArgumentException e) {
                throw nameAt.error(e.getMessage());
            }
        }
        String description = s.field("description").optionalText().orElse("");
        Optional<String> region = s.field("region").optionalText();
        JsonAt prefixAt = s.field("pathPrefix");
        String prefix = prefixAt.optionalText().orElse("");
        String problem = AgentSkill.pathPrefixProblem(prefix);
        if (problem != null) throw prefixAt.error(problem);
        JsonAt tunnelAt = s.field("tunnel");
        Optional<String> tunnel = tunnelAt.optionalText();
        if (tunnel.isPresent() && !tunnel.get().equals("tcp")) throw tunnelAt.error("must be tcp or absent");
        return new AgentSkill(new SkillName(name), description, region, attributes(s.field("attributes")), prefix,
                udp(s.field("udp")), allow(s.field("allow")), tunnel.isPresent(), capacity(s.field("capacity")));
    }

    /** Sessions at once, the denominator of the LOAD announced for the skill (docs/acip-v0.md §12.3). */
    private static int capacity(JsonAt at) throws RegistrationException {
        if (!at.present()) return AgentSkill.DEFAULT_CAPACITY;
        if (!at.node().canConvertToInt() || !at.node().isIntegralNumber() || at.node().intValue() < 1
                || at.node().intValue() > MAX_CAPACITY) {
            throw at.error("must be a whole number from 1 to " + MAX_CAPACITY);
        }
        return at.node().intValue();
    }

    private static Optional<AllowList> allow(JsonAt at) throws RegistrationException {
        if (!at.present()) return Optional.empty();
        List<String> entries = new ArrayList<>();
        for (JsonAt e : at.elements()) entries.add(e.text());
        if (entries.isEmpty()) throw at.error("lists nobody (leave allow out to serve everyone)");
        try {
            return Optional.of(AllowList.parse(entries));
        } catch (IllegalArgumentException e) {
            throw at.error(e.getMessage());
        }
    }

    private static Map<String, String> attributes(JsonAt at) throws RegistrationException {
        if (!at.present()) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonAt> m : at.members()) {
            JsonAt v = m.getValue();
            if (m.getKey().isEmpty()) throw v.error("attribute names must not be empty");
            if (!v.present() || !v.node().isValueNode()) throw v.error("must be a string, number or boolean");
            out.put(m.getKey(), v.node().asText());
        }
        return out;
    }
}
