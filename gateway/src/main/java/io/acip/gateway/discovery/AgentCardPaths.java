package io.acip.gateway.discovery;

import io.acip.ingress.RequestInfo;

/** Where A2A clients look for a card, and the base URL an agent used to reach a skill. */
public final class AgentCardPaths {
    /** A2A 0.3 and 1.0 (RFC 8615 well-known URI). */
    public static final String AGENT_CARD = "/.well-known/agent-card.json";
    /** A2A before 0.3, still asked for by older clients. */
    public static final String AGENT_JSON = "/.well-known/agent.json";
    /** The response field by which a far gateway names the agent's own base URL(s) for the edge to rewrite. */
    public static final String AGENT_BASE_FIELD = "acip-agent-base";

    private AgentCardPaths() {
    }

    /** Whether a request with this method for this skill-relative path (query allowed) asks for the skill's card. */
    public static boolean isCardRequest(String method, String skillPath) {
        if (!"GET".equals(method)) return false;
        String p = withoutQuery(skillPath);
        return p.equals(AGENT_CARD) || p.equals(AGENT_JSON);
    }

    /**
     * The base the agent used for the skill: its scheme and authority, and the part of its path in front of what the
     * skill sees ({@code /skills/demo/a2a} of {@code /skills/demo/a2a/.well-known/agent-card.json}); no trailing slash.
     */
    public static String requestBase(RequestInfo request, String skillPath) {
        String asked = withoutQuery(request.path());
        String seen = withoutQuery(skillPath);
        String prefix = asked.endsWith(seen) ? asked.substring(0, asked.length() - seen.length()) : "";
        if (prefix.endsWith("/")) prefix = prefix.substring(0, prefix.length() - 1);
        String authority = request.authority();
        String defaultPort = "https".equals(request.scheme()) ? ":443" : ":80";
        // A tunnel's authority comes from its CONNECT target, which always names a port (RFC 9110 §9.3.6).
        if (authority.endsWith(defaultPort)) authority = authority.substring(0, authority.length() - defaultPort.length());
        return request.scheme() + "://" + authority + prefix;
    }

    private static String withoutQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
