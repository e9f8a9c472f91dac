package io.acip.gateway.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * One node's configuration, the single source of truth (docs/configuration.md). Every section but {@code node} is
 * optional: a node without {@code http} is a pure ACIP router; one without {@code agents} delivers nothing locally.
 * Values are checked by {@link ConfigLoader}, which refuses a bad document naming the path of the offending field.
 */
public record GatewayConfig(Node node, Http http, Egress egress, List<Agent> agents, Admin admin, Udp udp,
                            Auth auth, List<PolicyRule> policy, Shutdown shutdown, Registry registry, Logging logging,
                            Telemetry telemetry) {

    public GatewayConfig {
        agents = agents == null ? List.of() : List.copyOf(agents);
        egress = egress == null ? Egress.NONE : egress;
        udp = udp == null ? Udp.DEFAULT : udp;
        policy = policy == null ? List.of() : List.copyOf(policy);
        shutdown = shutdown == null ? Shutdown.DEFAULT : shutdown;
        registry = registry == null ? Registry.FILE : registry;
        logging = logging == null ? Logging.DEFAULT : logging;
        telemetry = telemetry == null ? Telemetry.OFF : telemetry;
    }

    /** Without a {@code registry}, {@code logging} or {@code telemetry} section: their defaults. */
    public GatewayConfig(Node node, Http http, Egress egress, List<Agent> agents, Admin admin, Udp udp, Auth auth,
                         List<PolicyRule> policy, Shutdown shutdown) {
        this(node, http, egress, agents, admin, udp, auth, policy, shutdown, null, null, null);
    }

    /** This configuration with another {@code registry} section (for code that builds configurations). */
    public GatewayConfig withRegistry(Registry r) {
        return new GatewayConfig(node, http, egress, agents, admin, udp, auth, policy, shutdown, r, logging, telemetry);
    }

    /** Without a {@code shutdown} section: its defaults. */
    public GatewayConfig(Node node, Http http, Egress egress, List<Agent> agents, Admin admin, Udp udp, Auth auth,
                         List<PolicyRule> policy) {
        this(node, http, egress, agents, admin, udp, auth, policy, null);
    }

    /** Without a {@code udp} section: its defaults. */
    public GatewayConfig(Node node, Http http, Egress egress, List<Agent> agents, Admin admin) {
        this(node, http, egress, agents, admin, null);
    }

    /** Without {@code auth} and {@code policy}: every agent is served (docs/security.md). */
    public GatewayConfig(Node node, Http http, Egress egress, List<Agent> agents, Admin admin, Udp udp) {
        this(node, http, egress, agents, admin, udp, null, null);
    }

    /** This configuration with edge authentication and policy (for code that builds configurations). */
    public GatewayConfig withAccess(Auth auth, List<PolicyRule> policy) {
        return new GatewayConfig(node, http, egress, agents, admin, udp, auth, policy, shutdown, registry, logging,
                telemetry);
    }

    /** The ACIP node: identity, links, static routes. */
    public record Node(String id, String listen, @JsonProperty("data_dir") String dataDir,
                       @JsonProperty("fabric_ca") String fabricCa, List<Neighbour> neighbours, List<Route> routes,
                       Timeouts timeouts, @JsonProperty("max_sessions") Integer maxSessions, String resumption,
                       @JsonProperty("require_attestation") Boolean requireAttestation, Control control,
                       @JsonProperty("session_pool") SessionPool sessionPool,
                       @JsonProperty("event_loops") Integer eventLoops) {
        public Node {
            eventLoops = eventLoops == null ? 0 : eventLoops;
            sessionPool = sessionPool == null ? SessionPool.DEFAULT : sessionPool;
            neighbours = neighbours == null ? List.of() : List.copyOf(neighbours);
            routes = routes == null ? List.of() : List.copyOf(routes);
            timeouts = timeouts == null ? Timeouts.DEFAULT : timeouts;
            maxSessions = maxSessions == null ? 100_000 : maxSessions;
            requireAttestation = requireAttestation != null && requireAttestation;
            control = control == null ? Control.DEFAULT : control;
        }

        /** With the default session pool. */
        public Node(String id, String listen, String dataDir, String fabricCa, List<Neighbour> neighbours,
                    List<Route> routes, Timeouts timeouts, Integer maxSessions, String resumption,
                    Boolean requireAttestation, Control control) {
            this(id, listen, dataDir, fabricCa, neighbours, routes, timeouts, maxSessions, resumption,
                    requireAttestation, control, null, null);
        }

        /** Without requiring attestation, with the default route exchange. */
        public Node(String id, String listen, String dataDir, String fabricCa, List<Neighbour> neighbours,
                    List<Route> routes, Timeouts timeouts, Integer maxSessions, String resumption) {
            this(id, listen, dataDir, fabricCa, neighbours, routes, timeouts, maxSessions, resumption, null, null);
        }

        /** With the defaults for what came later. */
        public Node(String id, String listen, String dataDir, String fabricCa, List<Neighbour> neighbours,
                    List<Route> routes, Timeouts timeouts, Integer maxSessions) {
            this(id, listen, dataDir, fabricCa, neighbours, routes, timeouts, maxSessions, null, null, null);
        }
    }

    /**
     * HTTP exchanges over sessions that carry many (docs/acip-v0.md §13): whether an edge offers and a far gateway
     * accepts them, and the bounds of an edge's pools. Absent fields take the defaults in docs/configuration.md.
     */
    public record SessionPool(Boolean enabled, @JsonProperty("idle_timeout") String idleTimeout,
                              @JsonProperty("responder_idle_timeout") String responderIdleTimeout,
                              @JsonProperty("max_idle_per_key") Integer maxIdlePerKey,
                              @JsonProperty("max_idle") Integer maxIdle,
                              @JsonProperty("max_exchanges") Integer maxExchanges,
                              @JsonProperty("max_age") String maxAge) {
        static final SessionPool DEFAULT = new SessionPool(null, null, null, null, null, null, null);
    }

    /**
     * A neighbour this node dials, and its border: which routes it takes from it ({@code import}) and gives it
     * ({@code export}), how many prefixes, route bytes and how long a path it accepts (docs/acip-v0.md §12.4).
     */
    public record Neighbour(String id, String address, @JsonProperty("import") RouteFilter importFilter,
                            @JsonProperty("export") RouteFilter exportFilter,
                            @JsonProperty("max_prefixes") Long maxPrefixes,
                            @JsonProperty("max_path_length") Integer maxPathLength,
                            @JsonProperty("max_route_bytes") Long maxRouteBytes) {
        public Neighbour {
            importFilter = importFilter == null ? RouteFilter.ALL : importFilter;
            exportFilter = exportFilter == null ? RouteFilter.ALL : exportFilter;
        }

        public Neighbour(String id, String address) {
            this(id, address, null, null, null, null, null);
        }
    }

    /** Allow and deny lists of skill prefixes and tenants; empty allow lists allow everything not denied. */
    public record RouteFilter(List<String> allow, List<String> deny, List<Long> tenants,
                              @JsonProperty("deny_tenants") List<Long> denyTenants) {
        public static final RouteFilter ALL = new RouteFilter(null, null, null, null);

        public RouteFilter {
            allow = allow == null ? List.of() : List.copyOf(allow);
            deny = deny == null ? List.of() : List.copyOf(deny);
            tenants = tenants == null ? List.of() : List.copyOf(tenants);
            denyTenants = denyTenants == null ? List.of() : List.copyOf(denyTenants);
        }
    }

    /** Route exchange timing (docs/acip-v0.md §12): batching interval and the hold time offered in OPEN. */
    public record Control(@JsonProperty("update_interval") String updateInterval,
                          @JsonProperty("hold_time") String holdTime) {
        static final Control DEFAULT = new Control(null, null);
    }

    /**
     * A static route: skills under {@code prefix} go to neighbour {@code via}; with {@code advertise}, this node
     * also announces the prefix to its neighbours (docs/acip-v0.md §12).
     */
    public record Route(String prefix, String via, Long tenant, Integer priority, Integer weight, String region,
                        Map<String, String> attributes, Boolean advertise) {
        public Route {
            tenant = tenant == null ? 0L : tenant;
            priority = priority == null ? 0 : priority;
            weight = weight == null ? 1 : weight;
            region = region == null ? "" : region;
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
            advertise = advertise != null && advertise;
        }

        public Route(String prefix, String via, Long tenant, Integer priority, Integer weight, String region,
                     Map<String, String> attributes) {
            this(prefix, via, tenant, priority, weight, region, attributes, null);
        }
    }

    /**
     * Session timeouts, and how links notice a silent neighbour: a PING every {@code link_keepalive}, the link closed
     * and redialled after {@code link_idle} without a packet.
     */
    public record Timeouts(String setup, String attempt, String idle,
                           @JsonProperty("link_keepalive") String linkKeepalive,
                           @JsonProperty("link_idle") String linkIdle) {
        static final Timeouts DEFAULT = new Timeouts(null, null, null);

        public Timeouts(String setup, String attempt, String idle) {
            this(setup, attempt, idle, null, null);
        }
    }

    /** The HTTP front door. */
    public record Http(String name, String listen, @JsonProperty("tls_listen") String tlsListen,
                       @JsonProperty("tls_certificate") String tlsCertificate, @JsonProperty("tls_key") String tlsKey,
                       @JsonProperty("host_suffix") String hostSuffix, @JsonProperty("path_prefix") String pathPrefix,
                       List<Rule> rules, List<String> skills, List<String> intercept,
                       @JsonProperty("first_byte_timeout") String firstByteTimeout, Boolean http3,
                       @JsonProperty("connect_udp_template") String connectUdpTemplate,
                       @JsonProperty("escaped_slashes") String escapedSlashes,
                       @JsonProperty("stream_idle_timeout") String streamIdleTimeout, Limits limits) {
        public Http {
            limits = limits == null ? Limits.DEFAULT : limits;
            escapedSlashes = escapedSlashes == null ? "reject" : escapedSlashes;
            http3 = http3 == null ? tlsListen != null : http3;
            skills = skills == null ? List.of() : List.copyOf(skills);
            name = name == null ? "acip-gw" : name;
            hostSuffix = hostSuffix == null ? "acip" : hostSuffix;
            pathPrefix = pathPrefix == null ? "/skills/" : pathPrefix;
            rules = rules == null ? List.of() : List.copyOf(rules);
            intercept = intercept == null ? List.of() : List.copyOf(intercept);
        }

        /** With the default limits on slow and greedy clients. */
        public Http(String name, String listen, String tlsListen, String tlsCertificate, String tlsKey,
                    String hostSuffix, String pathPrefix, List<Rule> rules, List<String> skills, List<String> intercept,
                    String firstByteTimeout, Boolean http3, String connectUdpTemplate, String escapedSlashes,
                    String streamIdleTimeout) {
            this(name, listen, tlsListen, tlsCertificate, tlsKey, hostSuffix, pathPrefix, rules, skills, intercept,
                    firstByteTimeout, http3, connectUdpTemplate, escapedSlashes, streamIdleTimeout, null);
        }

        /** Escaped slashes refused, and no stream idle timeout of its own (5 minutes). */
        public Http(String name, String listen, String tlsListen, String tlsCertificate, String tlsKey,
                    String hostSuffix, String pathPrefix, List<Rule> rules, List<String> skills, List<String> intercept,
                    String firstByteTimeout, Boolean http3, String connectUdpTemplate) {
            this(name, listen, tlsListen, tlsCertificate, tlsKey, hostSuffix, pathPrefix, rules, skills, intercept,
                    firstByteTimeout, http3, connectUdpTemplate, null, null, null);
        }

        /** With the defaults for what came later: HTTP/3 beside a TLS listener, RFC 9298's default template. */
        public Http(String name, String listen, String tlsListen, String tlsCertificate, String tlsKey,
                    String hostSuffix, String pathPrefix, List<Rule> rules, List<String> skills, List<String> intercept,
                    String firstByteTimeout) {
            this(name, listen, tlsListen, tlsCertificate, tlsKey, hostSuffix, pathPrefix, rules, skills, intercept,
                    firstByteTimeout, null, null, null, null, null);
        }
    }

    /**
     * What one client may make the HTTP listeners hold: how long a request head may take to arrive whole
     * ({@code request_head_timeout}, default 10s), how many connections one client IP address may hold open over all
     * listeners, TCP and QUIC together ({@code max_connections_per_ip}, default 256, 0 for no limit), and how many
     * request streams one HTTP/2 or HTTP/3 connection may have open at once ({@code max_concurrent_streams},
     * default 128).
     */
    public record Limits(@JsonProperty("request_head_timeout") String requestHeadTimeout,
                         @JsonProperty("max_connections_per_ip") Integer maxConnectionsPerIp,
                         @JsonProperty("max_concurrent_streams") Integer maxConcurrentStreams) {
        static final Limits DEFAULT = new Limits(null, null, null);
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

    /**
     * UDP sockets the gateway opens (to agents' UDP endpoints, or direct): closed after {@code idle_timeout}. They and
     * the HTTP/3 listener run on {@code native_transport}: {@code auto} (epoll where it loads) or {@code nio}.
     */
    public record Udp(@JsonProperty("idle_timeout") String idleTimeout,
                      @JsonProperty("native_transport") String nativeTransport) {
        static final Udp DEFAULT = new Udp(null);

        public Udp {
            nativeTransport = nativeTransport == null ? "auto" : nativeTransport;
        }

        public Udp(String idleTimeout) {
            this(idleTimeout, null);
        }
    }

    /**
     * An HTTP agent served by this node: its origin, where it takes UDP (if it does) and the skills it offers; where
     * its A2A card is ({@code card_path}, else under each skill's base), which {@code Host} its origin sees
     * ({@code host_header}: {@code origin}, the default, or {@code preserve}) and whether it gets
     * {@code X-Forwarded-Host} / {@code -Proto} ({@code x_forwarded}).
     */
    public record Agent(String name, String origin, Boolean h2c, Boolean card, List<AgentSkill> skills, String udp,
                        @JsonProperty("card_path") String cardPath, @JsonProperty("host_header") String hostHeader,
                        @JsonProperty("x_forwarded") Boolean xForwarded) {
        public Agent {
            h2c = h2c != null && h2c;
            card = card != null && card;
            skills = skills == null ? List.of() : List.copyOf(skills);
            hostHeader = hostHeader == null ? "origin" : hostHeader;
            xForwarded = xForwarded != null && xForwarded;
        }

        public Agent(String name, String origin, Boolean h2c, Boolean card, List<AgentSkill> skills, String udp) {
            this(name, origin, h2c, card, skills, udp, null, null, null);
        }

        public Agent(String name, String origin, Boolean h2c, Boolean card, List<AgentSkill> skills) {
            this(name, origin, h2c, card, skills, null);
        }
    }

    /**
     * A skill an agent serves. {@code allow}, when given, lists who may call it (the entries of
     * {@code io.acip.gateway.policy.AllowList}), checked against the attested initiator; absent, everyone may.
     * {@code tunnel: tcp} lets CONNECT byte tunnels reach the agent's host and port; absent, none do.
     * {@code capacity}: sessions the agent serves at once, against which its announced LOAD is measured; null for
     * the default.
     */
    public record AgentSkill(String name, String path, String region, Map<String, String> attributes, String udp,
                             List<String> allow, String tunnel, Integer capacity) {
        public AgentSkill {
            path = path == null ? "" : path;
            region = region == null ? "" : region;
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
            // Kept as written (nulls included) so that ConfigLoader can name a bad entry; null means absent.
            allow = allow == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(allow));
        }

        /** With the default capacity. */
        public AgentSkill(String name, String path, String region, Map<String, String> attributes, String udp,
                          List<String> allow, String tunnel) {
            this(name, path, region, attributes, udp, allow, tunnel, null);
        }

        /** Without byte tunnels. */
        public AgentSkill(String name, String path, String region, Map<String, String> attributes, String udp,
                          List<String> allow) {
            this(name, path, region, attributes, udp, allow, null);
        }

        /** Open to every initiator. */
        public AgentSkill(String name, String path, String region, Map<String, String> attributes, String udp) {
            this(name, path, region, attributes, udp, null);
        }

        /** Without a UDP endpoint of its own. */
        public AgentSkill(String name, String path, String region, Map<String, String> attributes) {
            this(name, path, region, attributes, null);
        }


    }

    /**
     * The admin listener and what it lets callers do (docs/configuration.md, {@code admin}). Without
     * {@code token_file} or {@code client_ca} it answers without credentials, so it may only listen on loopback.
     */
    public record Admin(String listen, @JsonProperty("token_file") String tokenFile,
                        @JsonProperty("client_ca") String clientCa,
                        @JsonProperty("tls_certificate") String tlsCertificate, @JsonProperty("tls_key") String tlsKey,
                        @JsonProperty("metrics_public") Boolean metricsPublic,
                        @JsonProperty("allowed_origins") List<String> allowedOrigins,
                        @JsonProperty("attach_allowed") List<String> attachAllowed) {
        /** Where run-time agents may live unless configured otherwise: this host only. */
        public static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1/128");

        public Admin {
            metricsPublic = metricsPublic != null && metricsPublic;
            allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
            attachAllowed = attachAllowed == null ? LOOPBACK : List.copyOf(attachAllowed);
        }

        /** A credential-less listener (loopback only), with the defaults. */
        public Admin(String listen) {
            this(listen, null, null, null, null, null, null, null);
        }

        /** Whether callers must prove who they are (a token or a client certificate). */
        public boolean credentialed() {
            return tokenFile != null || clientCa != null;
        }

        /** Whether the listener speaks TLS: for client certificates, or when given a certificate of its own. */
        public boolean tls() {
            return clientCa != null || tlsCertificate != null;
        }
    }

    /**
     * How the edge authenticates agents (DESIGN §7). Without this section every agent is served anonymously; with it,
     * anonymous agents only where {@code anonymous} is true and a policy rule allows {@code anonymous}.
     */
    public record Auth(Boolean anonymous, Jwt jwt, @JsonProperty("api_keys") List<ApiKey> apiKeys, Mtls mtls) {
        public Auth {
            anonymous = anonymous != null && anonymous;
            apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        }
    }

    /** Bearer JWTs verified against a JWKS (a file, or an https URL fetched and cached). */
    public record Jwt(@JsonProperty("jwks_file") String jwksFile, @JsonProperty("jwks_url") String jwksUrl,
                      String issuer, String audience, @JsonProperty("groups_claim") String groupsClaim,
                      @JsonProperty("clock_skew") String clockSkew, @JsonProperty("jwks_refresh") String jwksRefresh) {
        public Jwt {
            groupsClaim = groupsClaim == null ? "groups" : groupsClaim;
        }
    }

    /** An API key: only its SHA-256 (64 hex digits) is configured. */
    public record ApiKey(String name, String sha256, List<String> groups) {
        public ApiKey {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }
    }

    /** TLS client certificates: the PEM trust anchors they must chain to, and the groups their holders get. */
    public record Mtls(String trust, List<String> groups) {
        public Mtls {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }
    }

    /**
     * One authorization rule: which skills (prefixes; {@code *} for every skill) or direct egress it covers, who may
     * call, and the limits each caller gets. The first rule that covers a request decides.
     */
    public record PolicyRule(List<String> skills, Boolean direct, List<String> allow, Rate rate, Integer concurrency,
                             @JsonProperty("pass_authorization") Boolean passAuthorization) {
        public PolicyRule {
            skills = skills == null ? List.of() : List.copyOf(skills);
            direct = direct != null && direct;
            allow = allow == null ? List.of() : List.copyOf(allow);
            passAuthorization = passAuthorization != null && passAuthorization;
        }
    }

    /** How the node stops on SIGTERM or {@code POST /drain}: what is in flight gets {@code drain_timeout} to finish. */
    public record Shutdown(@JsonProperty("drain_timeout") String drainTimeout) {
        static final Shutdown DEFAULT = new Shutdown(null);
    }

    /**
     * Where run-time registrations live (docs/configuration.md, {@code registry}): the file store under
     * {@code node.data_dir} unless {@code etcd} is set, which edge replicas share. {@code lease}: how long a
     * registration lives unless renewed ({@code off}: until detached; default off on the file store, 30s on etcd);
     * {@code card_renewal}: whether an agent's A2A card answering at its origin renews its lease (default true).
     */
    public record Registry(String lease, @JsonProperty("card_renewal") Boolean cardRenewal, Etcd etcd) {
        public static final Registry FILE = new Registry(null, null, null);

        public Registry {
            cardRenewal = cardRenewal == null || cardRenewal;
        }
    }

    /**
     * An etcd cluster (v3 API): its client URLs, the key prefix this fabric's registrations live under, and how the
     * node proves itself: {@code user} with {@code password_file}, and/or a client certificate in {@code tls}.
     */
    public record Etcd(List<String> endpoints, String prefix, String user,
                       @JsonProperty("password_file") String passwordFile, EtcdTls tls, String timeout) {
        public Etcd {
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        }
    }

    /** TLS to etcd: the CA its server certificates chain to, and optionally a client certificate and key (PEM). */
    public record EtcdTls(String ca, String certificate, String key) {
    }

    /**
     * Logs: {@code format} {@code text} (one line per event) or {@code json} (one object per line, for shippers);
     * {@code access}: a line per HTTP exchange and CONNECT-UDP flow at the edge (default on where {@code http} is).
     */
    public record Logging(String format, Boolean access) {
        static final Logging DEFAULT = new Logging(null, null);

        public Logging {
            format = format == null ? "text" : format;
        }

        public boolean json() {
            return format.equals("json");
        }
    }

    /**
     * Traces (OpenTelemetry): exported over OTLP/HTTP to {@code otlp_endpoint} (the full URL, e.g.
     * {@code http://collector:4318/v1/traces}); none without it. {@code sampling_ratio} of new traces are kept (a
     * trace the agent's {@code traceparent} started keeps its own decision).
     */
    public record Telemetry(@JsonProperty("otlp_endpoint") String otlpEndpoint,
                            @JsonProperty("sampling_ratio") Double samplingRatio) {
        static final Telemetry OFF = new Telemetry(null, null);

        public Telemetry {
            samplingRatio = samplingRatio == null ? 1.0 : samplingRatio;
        }
    }

    /** A token bucket: {@code burst} requests at once, refilled at {@code per_second}. */
    public record Rate(@JsonProperty("per_second") Double perSecond, Integer burst) {
    }
}
