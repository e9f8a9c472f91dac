package io.acip.gateway.attach;

import io.acip.wire.SkillName;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An agent attached to this gateway (DESIGN.md §5): its name, the HTTP origin that serves its skills, where it
 * takes UDP if it does, and the skills the gateway routes ACIP sessions for. Built by
 * {@link RegistrationDocument} (our plain JSON) or {@link AgentCard} (an A2A Agent Card).
 *
 * @param agent a name for people and logs
 * @param origin absolute {@code http} or {@code https} URL of the agent
 * @param udp where UDP flows for the agent's skills go, if anywhere
 * @param skills at least one, names unique
 */
public record AgentRegistration(String agent, URI origin, Optional<UdpEndpoint> udp, List<AgentSkill> skills) {
    /** Longest agent name accepted. */
    public static final int MAX_AGENT_NAME = 256;

    public AgentRegistration {
        Objects.requireNonNull(agent, "agent");
        if (agent.isBlank() || agent.length() > MAX_AGENT_NAME || agent.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("agent name must be 1.." + MAX_AGENT_NAME + " printable characters");
        }
        Objects.requireNonNull(origin, "origin");
        String problem = originProblem(origin);
        if (problem != null) throw new IllegalArgumentException("origin " + problem);
        udp = udp == null ? Optional.empty() : udp;
        skills = List.copyOf(skills);
        if (skills.isEmpty()) throw new IllegalArgumentException("an agent registers at least one skill");
        Set<SkillName> seen = new HashSet<>();
        for (AgentSkill s : skills) {
            if (!seen.add(s.name())) throw new IllegalArgumentException("skill " + s.name() + " listed twice");
        }
    }

    /** The skill with this name, if the agent offers it. */
    public Optional<AgentSkill> skill(SkillName name) {
        return skills.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The base URL requests for {@code skill} go to: the origin followed by the skill's path prefix. */
    public URI originFor(AgentSkill skill) {
        String path = origin.getRawPath() == null ? "" : origin.getRawPath();
        if (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        return URI.create(origin.getScheme() + "://" + origin.getRawAuthority() + path + skill.pathPrefix());
    }

    /** Why {@code uri} cannot be an agent's origin, or null when it can. */
    static String originProblem(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) return "must be an absolute http or https URL";
        if (uri.getHost() == null || uri.getHost().isEmpty()) return "has no host";
        if (uri.getRawUserInfo() != null) return "must not carry user info";
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) return "must not carry a query or fragment";
        return null;
    }
}
