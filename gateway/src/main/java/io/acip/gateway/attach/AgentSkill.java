package io.acip.gateway.attach;

import io.acip.gateway.policy.AllowList;
import io.acip.wire.SkillName;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One skill an agent offers.
 *
 * @param name the ACIP skill name sessions are addressed to ({@code travel/book-flight})
 * @param description for people; empty when none
 * @param region where the agent runs, for region-pinning policies; empty when unknown
 * @param attributes instance attributes policies can require ({@code gpu=true}), in document order
 * @param pathPrefix where the skill lives at the agent's origin ({@code /flights}); empty for the origin's root
 * @param allow who may call the skill, checked against the attested initiator at this gateway; empty: everyone
 * @param tcpTunnel whether CONNECT tunnels to the skill become byte streams to the agent's host and port
 *     ({@code tunnel: tcp}); without it a byte-stream session is refused {@code policy_denied}
 * @param capacity sessions the instance serves at once, the denominator of the LOAD this gateway announces for it
 *     (docs/acip-v0.md §12.3); {@link #DEFAULT_CAPACITY} unless configured
 */
public record AgentSkill(SkillName name, String description, Optional<String> region, Map<String, String> attributes,
                         String pathPrefix, Optional<UdpEndpoint> udp, Optional<AllowList> allow, boolean tcpTunnel,
                         int capacity) {
    /** As many sessions as the origin forwarder keeps connections to one origin by default. */
    public static final int DEFAULT_CAPACITY = 64;

    public AgentSkill {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        udp = udp == null ? Optional.empty() : udp;
        allow = allow == null ? Optional.empty() : allow;
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        region = region == null ? Optional.empty() : region;
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        pathPrefix = pathPrefix == null ? "" : pathPrefix;
        String problem = pathPrefixProblem(pathPrefix);
        if (problem != null) throw new IllegalArgumentException("path prefix " + problem);
        if (pathPrefix.endsWith("/")) pathPrefix = pathPrefix.substring(0, pathPrefix.length() - 1);
    }

    /** With the default capacity. */
    public AgentSkill(SkillName name, String description, Optional<String> region, Map<String, String> attributes,
                      String pathPrefix, Optional<UdpEndpoint> udp, Optional<AllowList> allow, boolean tcpTunnel) {
        this(name, description, region, attributes, pathPrefix, udp, allow, tcpTunnel, DEFAULT_CAPACITY);
    }

    /** Without byte tunnels: a CONNECT to the skill is intercepted where the edge may, else refused. */
    public AgentSkill(SkillName name, String description, Optional<String> region, Map<String, String> attributes,
                      String pathPrefix, Optional<UdpEndpoint> udp, Optional<AllowList> allow) {
        this(name, description, region, attributes, pathPrefix, udp, allow, false);
    }

    /** Open to every initiator. */
    public AgentSkill(SkillName name, String description, Optional<String> region, Map<String, String> attributes,
                      String pathPrefix, Optional<UdpEndpoint> udp) {
        this(name, description, region, attributes, pathPrefix, udp, Optional.empty());
    }

    /** Without a UDP endpoint of its own (the agent's, if any, serves the skill's UDP flows). */
    public AgentSkill(SkillName name, String description, Optional<String> region, Map<String, String> attributes,
                      String pathPrefix) {
        this(name, description, region, attributes, pathPrefix, Optional.empty());
    }

    public static AgentSkill of(SkillName name) {
        return new AgentSkill(name, "", Optional.empty(), Map.of(), "");
    }

    /** Why {@code prefix} cannot be a path prefix at an origin, or null when it can. */
    static String pathPrefixProblem(String prefix) {
        if (prefix.isEmpty()) return null;
        if (!prefix.startsWith("/")) return "must start with '/'";
        // "/a//" would lose one slash here and another when written back: a prefix means whole segments, none empty.
        if (prefix.contains("//")) return "holds an empty segment ('//')";
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            // RFC 3986 §3.3: a path holds no '?' or '#', and only visible US-ASCII travels unencoded.
            if (c <= 0x20 || c >= 0x7F || c == '?' || c == '#') return "holds '" + c + "', which a path cannot";
        }
        return null;
    }
}
