package io.acip.gateway.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One node's configuration, the single source of truth (docs/configuration.md). Every section but {@code node} is
 * optional: a node without {@code http} is a pure ACIP router; one without {@code agents} delivers nothing locally.
 * Values are checked by {@link ConfigLoader}, which refuses a bad document naming the path of the offending field.
 */
public record GatewayConfig(Node node, Http http, Egress egress, List<Agent> agents, Admin admin, Udp udp) {

    public GatewayConfig {
        agents = agents == null ? List.of() : List.copyOf(agents);
        egress = egress == null ? Egress.NONE : egress;
        udp = udp == null ? Udp.DEFAULT : udp;
    }

    /** Without a {@code udp} section: its defaults. */
    public GatewayConfig(Node node, Http http, Egress egress, List<Agent> agents, Admin admin) {
        this(node, http, egress, agents, admin, null);
    }

    /** The ACIP node: identity, links, static routes. */
    public record Node(String id, String listen, @JsonProperty("data_dir") String dataDir,
                       @JsonProperty("fabric_ca") String fabricCa, List<Neighbour> neighbours, List<Route> routes,
                       Timeouts timeouts, @JsonProperty("max_sessions") Integer maxSessions, String resumption) {
        public Node {
            neighbours = neighbours == null ? List.of() : List.copyOf(neighbours);
            routes = routes == null ? List.of() : List.copyOf(routes);
            timeouts = timeouts == null ? Timeouts.DEFAULT : timeouts;
            maxSessions = maxSessions == null ? 100_000 : maxSessions;
        }

        /** With the defaults for what came later. */
        public Node(String id, String listen, String dataDir, String fabricCa, List<Neighbour> neighbours,
                    List<Route> routes, Timeouts timeouts, Integer maxSessions) {
            this(id, listen, dataDir, fabricCa, neighbours, routes, timeouts, maxSessions, null);
        }
    }

    public record Neighbour(String id, String address) {
    }

    /** A static route: skills under {@code prefix} go to neighbour {@code via}. */
    public record Route(String prefix, String via, Long tenant, Integer priority, Integer weight, String region,
                        Map<String, String> attributes) {
        public Route {
            tenant = tenant == null ? 0L : tenant;
            priority = priority == null ? 0 : priority;
            weight = weight == null ? 1 : weight;
            region = region == null ? "" : region;
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }
    }

    public record Timeouts(String setup, String attempt, String idle) {
        static final Timeouts DEFAULT = new Timeouts(null, null, null);
    }

    /** The HTTP front door. */
    public record Http(String name, String listen, @JsonProperty("tls_listen") String tlsListen,
                       @JsonProperty("tls_certificate") String tlsCertificate, @JsonProperty("tls_key") String tlsKey,
                       @JsonProperty("host_suffix") String hostSuffix, @JsonProperty("path_prefix") String pathPrefix,
                       List<Rule> rules, List<String> skills, List<String> intercept,
                       @JsonProperty("first_byte_timeout") String firstByteTimeout, Boolean http3,
                       @JsonProperty("connect_udp_template") String connectUdpTemplate,
                       @JsonProperty("escaped_slashes") String escapedSlashes) {
        public Http {
            escapedSlashes = escapedSlashes == null ? "reject" : escapedSlashes;
            http3 = http3 == null ? tlsListen != null : http3;
            skills = skills == null ? List.of() : List.copyOf(skills);
            name = name == null ? "acip-gw" : name;
            hostSuffix = hostSuffix == null ? "acip" : hostSuffix;
            pathPrefix = pathPrefix == null ? "/skills/" : pathPrefix;
            rules = rules == null ? List.of() : List.copyOf(rules);
            intercept = intercept == null ? List.of() : List.copyOf(intercept);
        }

        /** With the defaults for what came later: HTTP/3 beside a TLS listener, RFC 9298's default template. */
        public Http(String name, String listen, String tlsListen, String tlsCertificate, String tlsKey,
                    String hostSuffix, String pathPrefix, List<Rule> rules, List<String> skills, List<String> intercept,
                    String firstByteTimeout) {
            this(name, listen, tlsListen, tlsCertificate, tlsKey, hostSuffix, pathPrefix, rules, skills, intercept,
                    firstByteTimeout, null, null, null);
        }
    }

    /** An explicit mapping: requests for {@code host} (and {@code path_prefix}, if set) go to {@code skill}. */
    public record Rule(String host, @JsonProperty("path_prefix") String pathPrefix, String skill,
                       @JsonProperty("strip_prefix") Boolean stripPrefix) {
        public Rule {
            pathPrefix = pathPrefix == null ? "/" : pathPrefix;
            stripPrefix = stripPrefix != null && stripPrefix;
        }
    }

    /**
     * Traffic to targets that are not skills. Refused unless {@code direct}; private ranges need {@code allow}.
     * CONNECT-UDP goes direct when {@code direct_udp} (default: as {@code direct}) and resolves names with {@code dns}.
     */
    public record Egress(Boolean direct, List<String> allow, @JsonProperty("direct_udp") Boolean directUdp, Dns dns) {
        static final Egress NONE = new Egress(false, List.of());

        public Egress {
            direct = direct != null && direct;
            allow = allow == null ? List.of() : List.copyOf(allow);
            directUdp = directUdp == null ? direct : directUdp;
            dns = dns == null ? Dns.DEFAULT : dns;
        }

        public Egress(Boolean direct, List<String> allow) {
            this(direct, allow, null, null);
        }
    }

    /** Name resolution for direct CONNECT-UDP: the system's name servers unless listed, each query bounded. */
    public record Dns(List<String> nameservers, String timeout) {
        static final Dns DEFAULT = new Dns(null, null);

        public Dns {
            nameservers = nameservers == null ? List.of() : List.copyOf(nameservers);
        }
    }

    /** UDP sockets the gateway opens (to agents' UDP endpoints, or direct): closed after {@code idle_timeout}. */
    public record Udp(@JsonProperty("idle_timeout") String idleTimeout) {
        static final Udp DEFAULT = new Udp(null);
    }

    /** An HTTP agent served by this node: its origin, where it takes UDP (if it does) and the skills it offers. */
    public record Agent(String name, String origin, Boolean h2c, Boolean card, List<AgentSkill> skills, String udp) {
        public Agent {
            h2c = h2c != null && h2c;
            card = card != null && card;
            skills = skills == null ? List.of() : List.copyOf(skills);
        }

        public Agent(String name, String origin, Boolean h2c, Boolean card, List<AgentSkill> skills) {
            this(name, origin, h2c, card, skills, null);
        }
    }

    /** @param tunnel {@code tcp} to take CONNECT byte tunnels to the agent's host and port; none by default */
    public record AgentSkill(String name, String path, String region, Map<String, String> attributes, String udp,
                             String tunnel) {
        public AgentSkill {
            path = path == null ? "" : path;
            region = region == null ? "" : region;
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }

        /** Without a UDP endpoint of its own. */
        public AgentSkill(String name, String path, String region, Map<String, String> attributes) {
            this(name, path, region, attributes, null);
        }

        /** Without byte tunnels. */
        public AgentSkill(String name, String path, String region, Map<String, String> attributes, String udp) {
            this(name, path, region, attributes, udp, null);
        }
    }

    public record Admin(String listen) {
    }
}
