package io.acip.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.acip.gateway.bridge.PoolSettings;
import io.acip.node.NodeConfig;
import io.acip.wire.SkillName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a YAML configuration and checks it whole before anything starts. Every refusal names the field, as a path
 * like {@code node.neighbours[1].address}.
 */
public final class ConfigLoader {
    private static final Pattern NODE_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigLoader() {
    }

    public static GatewayConfig load(Path file) throws ConfigException {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    public static GatewayConfig parse(String yaml) throws ConfigException {
        GatewayConfig c;
        try {
            c = YAML.readValue(yaml, GatewayConfig.class);
        } catch (JsonMappingException e) {
            throw new ConfigException(path(e) + ": " + e.getOriginalMessage().replaceAll(" \\(class [^)]*\\)", ""));
        } catch (JsonProcessingException e) {
            throw new ConfigException("line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
        }
        if (c == null) throw new ConfigException("(document): empty");
        validate(c);
        return c;
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            } else {
                if (b.length() > 0) b.append('.');
                b.append(r.getFieldName());
            }
        }
        return b.length() == 0 ? "(document)" : b.toString();
    }

    /** Checks a configuration built in code the same way as one read from YAML. */
    public static void validate(GatewayConfig c) throws ConfigException {
        GatewayConfig.Node n = c.node();
        if (n == null) throw new ConfigException("node: required");
        if (n.id() == null || !NODE_ID.matcher(n.id()).matches()) {
            throw new ConfigException("node.id: '" + n.id() + "' must be 1-63 of a-z 0-9 . _ - starting with a letter or digit");
        }
        if (n.listen() != null) Addresses.parse("node.listen", n.listen());
        Set<String> neighbourIds = new HashSet<>();
        for (int i = 0; i < n.neighbours().size(); i++) {
            GatewayConfig.Neighbour nb = n.neighbours().get(i);
            String p = "node.neighbours[" + i + "]";
            if (nb.id() == null || !NODE_ID.matcher(nb.id()).matches()) throw new ConfigException(p + ".id: invalid node id '" + nb.id() + "'");
            if (!neighbourIds.add(nb.id())) throw new ConfigException(p + ".id: '" + nb.id() + "' listed twice");
            Addresses.parse(p + ".address", nb.address());
        }
        for (int i = 0; i < n.routes().size(); i++) {
            GatewayConfig.Route r = n.routes().get(i);
            String p = "node.routes[" + i + "]";
            skill(p + ".prefix", r.prefix());
            if (r.via() == null || !NODE_ID.matcher(r.via()).matches()) throw new ConfigException(p + ".via: invalid node id '" + r.via() + "'");
            if (r.tenant() < 0) throw new ConfigException(p + ".tenant: must not be negative");
            if (r.weight() < 1) throw new ConfigException(p + ".weight: must be at least 1");
        }
        Durations.parse("node.timeouts.setup", n.timeouts().setup(), null);
        Durations.parse("node.timeouts.attempt", n.timeouts().attempt(), null);
        Durations.parse("node.timeouts.idle", n.timeouts().idle(), null);
        linkConfig(n);
        if (n.maxSessions() < 1) throw new ConfigException("node.max_sessions: must be at least 1");
        if (n.eventLoops() < 0 || n.eventLoops() > 256) {
            throw new ConfigException("node.event_loops: must be 0 (one per available processor) to 256");
        }
        resumptionLifetime(n);
        RouteExchange.of(n);
        sessionPool(n);

        GatewayConfig.Http h = c.http();
        if (h != null) {
            if (h.listen() == null && h.tlsListen() == null) throw new ConfigException("http: needs listen or tls_listen");
            if (h.listen() != null) Addresses.parse("http.listen", h.listen());
            if (h.tlsListen() != null) Addresses.parse("http.tls_listen", h.tlsListen());
            if ((h.tlsCertificate() == null) != (h.tlsKey() == null)) {
                throw new ConfigException("http." + (h.tlsKey() == null ? "tls_key" : "tls_certificate")
                        + ": tls_certificate and tls_key go together");
            }
            if (!h.pathPrefix().startsWith("/") || !h.pathPrefix().endsWith("/")) {
                throw new ConfigException("http.path_prefix: '" + h.pathPrefix() + "' must start and end with /");
            }
            if (!h.hostSuffix().matches("[a-z0-9-]+(\\.[a-z0-9-]+)*")) {
                throw new ConfigException("http.host_suffix: '" + h.hostSuffix() + "' is not a DNS suffix");
            }
            for (int i = 0; i < h.rules().size(); i++) {
                GatewayConfig.Rule r = h.rules().get(i);
                if (r.host() == null || r.host().isBlank()) throw new ConfigException("http.rules[" + i + "].host: required");
                if (!r.pathPrefix().startsWith("/")) throw new ConfigException("http.rules[" + i + "].path_prefix: must start with /");
                skill("http.rules[" + i + "].skill", r.skill());
            }
            for (int i = 0; i < h.skills().size(); i++) skill("http.skills[" + i + "]", h.skills().get(i));
            for (int i = 0; i < h.intercept().size(); i++) skill("http.intercept[" + i + "]", h.intercept().get(i));
            Durations.parse("http.first_byte_timeout", h.firstByteTimeout(), null);
            if (!List.of("reject", "keep").contains(h.escapedSlashes())) {
                throw new ConfigException("http.escaped_slashes: '" + h.escapedSlashes() + "' must be reject or keep");
            }
            Durations.parse("http.stream_idle_timeout", h.streamIdleTimeout(), null);
            limits(h.limits());
        }
        for (int i = 0; i < c.egress().allow().size(); i++) {
            String cidr = c.egress().allow().get(i);
            try {
                io.acip.gateway.egress.Cidr.parse(cidr);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("egress.allow[" + i + "]: " + e.getMessage());
            }
        }
        GatewayConfig.Dns dns = c.egress().dns();
        for (int i = 0; i < dns.nameservers().size(); i++) {
            String at = "egress.dns.nameservers[" + i + "]";
            String ns = dns.nameservers().get(i);
            int colon = ns == null ? -1 : ns.lastIndexOf(':');
            String host = colon <= 0 ? "" : ns.substring(0, colon).replace("[", "").replace("]", "");
            if (!io.netty.util.NetUtil.isValidIpV4Address(host) && !io.netty.util.NetUtil.isValidIpV6Address(host)) {
                throw new ConfigException(at + ": '" + ns + "' must be an IP address and port, like 192.0.2.53:53");
            }
            if (Addresses.parse(at, ns).getPort() == 0) throw new ConfigException(at + ": port must not be 0");
        }
        Durations.parse("egress.dns.timeout", dns.timeout(), null);
        Duration udpIdle = Durations.parse("udp.idle_timeout", c.udp().idleTimeout(), null);
        if (udpIdle != null && c.http() != null && udpIdle.compareTo(Duration.ofMinutes(2)) < 0) {
            throw new ConfigException("udp.idle_timeout: must be at least 2m on a node with http listeners (RFC 9298 "
                    + "§5: CONNECT-UDP clients keep flows alive at that pace)");
        }
        if (!List.of("auto", "nio").contains(c.udp().nativeTransport())) {
            throw new ConfigException("udp.native_transport: must be auto or nio, not '" + c.udp().nativeTransport()
                    + "'");
        }
        if (c.http() != null && c.http().http3() && c.http().tlsListen() == null) {
            throw new ConfigException("http.http3: needs http.tls_listen (HTTP/3 listens on its UDP twin)");
        }
        if (c.http() != null && c.http().connectUdpTemplate() != null) {
            try {
                io.acip.ingress.jetty.IngressConfig.builder("check").connectUdpPath(c.http().connectUdpTemplate());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("http.connect_udp_template: " + e.getMessage());
            }
        }
        Set<String> skills = new HashSet<>();
        for (int i = 0; i < c.agents().size(); i++) {
            GatewayConfig.Agent a = c.agents().get(i);
            String p = "agents[" + i + "]";
            if (a.name() == null || a.name().isBlank()) throw new ConfigException(p + ".name: required");
            origin(p + ".origin", a.origin());
            udpEndpoint(p + ".udp", a.udp());
            if (a.skills().isEmpty() && !a.card()) throw new ConfigException(p + ".skills: list skills or set card: true");
            if (a.cardPath() != null && (!a.cardPath().startsWith("/") || a.cardPath().contains("?")
                    || a.cardPath().contains("#"))) {
                throw new ConfigException(p + ".card_path: '" + a.cardPath() + "' must be an absolute path on the origin");
            }
            if (!a.hostHeader().equals("origin") && !a.hostHeader().equals("preserve")) {
                throw new ConfigException(p + ".host_header: '" + a.hostHeader() + "' is neither origin nor preserve");
            }
            if (a.hostHeader().equals("preserve") && a.h2c()) {
                throw new ConfigException(p + ".host_header: preserve needs HTTP/1.1 to the origin (with h2c the "
                        + ":authority is the origin's own); use x_forwarded instead");
            }
            for (int j = 0; j < a.skills().size(); j++) {
                GatewayConfig.AgentSkill s = a.skills().get(j);
                skill(p + ".skills[" + j + "].name", s.name());
                if (!skills.add(s.name())) throw new ConfigException(p + ".skills[" + j + "].name: '" + s.name() + "' served twice");
                if (!s.path().isEmpty() && !s.path().startsWith("/")) throw new ConfigException(p + ".skills[" + j + "].path: must start with /");
                udpEndpoint(p + ".skills[" + j + "].udp", s.udp());
                allowList(p + ".skills[" + j + "].allow", s.allow());
                if (s.tunnel() != null && !s.tunnel().equals("tcp")) {
                    throw new ConfigException(p + ".skills[" + j + "].tunnel: '" + s.tunnel()
                            + "' must be tcp (or absent: no byte tunnels)");
                }
                if (s.capacity() != null && s.capacity() < 1) {
                    throw new ConfigException(p + ".skills[" + j + "].capacity: must be at least 1");
                }
            }
        }
        if (c.admin() != null) admin(c.admin());
        io.acip.gateway.registry.RegistrySettings.check(c.registry());
        drainTimeout(c);
        if (!c.logging().format().equals("text") && !c.logging().json()) {
            throw new ConfigException("logging.format: '" + c.logging().format() + "' must be text or json");
        }
        telemetry(c.telemetry());
        io.acip.gateway.auth.AuthConfig.authenticator(c.auth(), "check");
        io.acip.gateway.policy.PolicyConfig.policy(c.policy(), c.auth() != null);
        if ((c.auth() != null || !c.policy().isEmpty()) && c.http() == null) {
            throw new ConfigException((c.auth() != null ? "auth" : "policy") + ": needs an http section (only the "
                    + "edge authenticates agents)");
        }
    }

    private static void admin(GatewayConfig.Admin a) throws ConfigException {
        java.net.InetSocketAddress listen = Addresses.parse("admin.listen", a.listen());
        if (a.tokenFile() != null && a.tokenFile().isBlank()) throw new ConfigException("admin.token_file: empty path");
        if (a.clientCa() != null && a.clientCa().isBlank()) throw new ConfigException("admin.client_ca: empty path");
        if ((a.tlsCertificate() == null) != (a.tlsKey() == null)) {
            throw new ConfigException("admin." + (a.tlsKey() == null ? "tls_key" : "tls_certificate")
                    + ": tls_certificate and tls_key go together");
        }
        // Without credentials anyone who reaches the listener may attach agents: only this host may reach it.
        if (!a.credentialed() && (listen.getAddress() == null || !listen.getAddress().isLoopbackAddress())) {
            throw new ConfigException("admin.listen: '" + a.listen() + "' is not a loopback address; an admin listener "
                    + "reachable from other hosts needs admin.token_file or admin.client_ca");
        }
        for (int i = 0; i < a.allowedOrigins().size(); i++) {
            String origin = a.allowedOrigins().get(i);
            if (!isOrigin(origin)) {
                throw new ConfigException("admin.allowed_origins[" + i + "]: '" + origin
                        + "' is not an origin (scheme://host[:port], as browsers send it)");
            }
        }
        for (int i = 0; i < a.attachAllowed().size(); i++) {
            try {
                io.acip.gateway.egress.Cidr.parse(String.valueOf(a.attachAllowed().get(i)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("admin.attach_allowed[" + i + "]: " + e.getMessage());
            }
        }
    }

    /** RFC 6454 §6.2: the serialisation an {@code Origin} header carries, compared exactly. */
    private static boolean isOrigin(String value) {
        if (value == null) return false;
        try {
            java.net.URI u = new java.net.URI(value);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
                    && u.getRawUserInfo() == null && u.getRawPath().isEmpty() && u.getRawQuery() == null
                    && u.getRawFragment() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** {@code agents[].skills[].allow}: absent serves everyone; present, at least one valid entry. */
    private static void allowList(String path, List<String> entries) throws ConfigException {
        if (entries == null) return;
        if (entries.isEmpty()) throw new ConfigException(path + ": lists nobody (leave allow out to serve everyone)");
        try {
            io.acip.gateway.policy.AllowList.parse(entries);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ": " + e.getMessage());
        }
    }

    private static void udpEndpoint(String path, String value) throws ConfigException {
        if (value == null) return;
        try {
            io.acip.gateway.attach.UdpEndpoint.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ": " + e.getMessage());
        }
    }

    private static void skill(String path, String value) throws ConfigException {
        if (value == null || !SkillName.isValid(value)) {
            throw new ConfigException(path + ": '" + value + "' is not a skill name (a-z 0-9 - _ segments joined by /)");
        }
    }

    private static void origin(String path, String value) throws ConfigException {
        if (value == null) throw new ConfigException(path + ": required");
        try {
            java.net.URI u = new java.net.URI(value);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new ConfigException(path + ": '" + value + "' must be an http:// or https:// URL with a host");
            }
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(path + ": '" + value + "' is not a URL: " + e.getReason());
        }
    }

    private static void limits(GatewayConfig.Limits l) throws ConfigException {
        Durations.parse("http.limits.request_head_timeout", l.requestHeadTimeout(), null);
        if (l.maxConnectionsPerIp() != null && l.maxConnectionsPerIp() < 0) {
            throw new ConfigException("http.limits.max_connections_per_ip: " + l.maxConnectionsPerIp()
                    + " must be 0 (no limit) or more");
        }
        if (l.maxConcurrentStreams() != null && (l.maxConcurrentStreams() < 1 || l.maxConcurrentStreams() > 65_536)) {
            throw new ConfigException("http.limits.max_concurrent_streams: " + l.maxConcurrentStreams()
                    + " must be between 1 and 65536");
        }
    }

    /** The links' QUIC settings, with {@code node.timeouts.link_keepalive} and {@code link_idle} applied. */
    public static io.acip.link.LinkConfig linkConfig(GatewayConfig.Node n) throws ConfigException {
        io.acip.link.LinkConfig d = io.acip.link.LinkConfig.DEFAULT;
        Duration keepAlive = Durations.parse("node.timeouts.link_keepalive", n.timeouts().linkKeepalive(), d.keepAlive());
        Duration idle = Durations.parse("node.timeouts.link_idle", n.timeouts().linkIdle(), d.idleTimeout());
        if (idle.compareTo(keepAlive.multipliedBy(2)) < 0) {
            throw new ConfigException("node.timeouts.link_idle: at least twice link_keepalive (" + keepAlive
                    + "), or a single late PING would drop a healthy link");
        }
        return new io.acip.link.LinkConfig(d.maxUdpPayload(), d.streamWindow(), d.connectionWindow(), d.maxStreams(),
                keepAlive, idle, d.reconnectMin(), d.reconnectMax(), d.socketBuffer());
    }

    private static void telemetry(GatewayConfig.Telemetry t) throws ConfigException {
        if (t.samplingRatio() < 0 || t.samplingRatio() > 1) {
            throw new ConfigException("telemetry.sampling_ratio: " + t.samplingRatio() + " outside 0..1");
        }
        if (t.otlpEndpoint() != null) {
            java.net.URI u;
            try {
                u = java.net.URI.create(t.otlpEndpoint());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("telemetry.otlp_endpoint: not a URL: " + e.getMessage());
            }
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new ConfigException("telemetry.otlp_endpoint: must be an absolute http or https URL (the "
                        + "collector's /v1/traces)");
            }
        }
    }

    /** {@code shutdown.drain_timeout}: how long a drain lets what is in flight finish (default 30 s, at most 1 h). */
    public static Duration drainTimeout(GatewayConfig c) throws ConfigException {
        Duration d = Durations.parse("shutdown.drain_timeout", c.shutdown().drainTimeout(), Duration.ofSeconds(30));
        if (d.compareTo(Duration.ofHours(1)) > 0) throw new ConfigException("shutdown.drain_timeout: at most 1h");
        return d;
    }

    /** {@code node.resumption}: how long session resumption tickets are held (docs/acip-v0.md §7.5), or {@code off}. */
    public static Duration resumptionLifetime(GatewayConfig.Node n) throws ConfigException {
        // YAML 1.1 reads a bare off as the boolean false.
        if ("off".equals(n.resumption()) || "false".equals(n.resumption())) return Duration.ZERO;
        return Durations.parse("node.resumption", n.resumption(), NodeConfig.DEFAULT_RESUMPTION_LIFETIME);
    }

    /** {@code node.session_pool}, with its defaults ({@link PoolSettings#DEFAULT}). */
    public static PoolSettings sessionPool(GatewayConfig.Node n) throws ConfigException {
        GatewayConfig.SessionPool p = n.sessionPool();
        PoolSettings d = PoolSettings.DEFAULT;
        String at = "node.session_pool.";
        Duration responderIdle = Durations.parse(at + "responder_idle_timeout", p.responderIdleTimeout(),
                d.responderIdleTimeout());
        if (responderIdle.compareTo(io.acip.wire.Exchanges.MIN_IDLE) < 0) {
            throw new ConfigException(at + "responder_idle_timeout: must be at least 1s");
        }
        return new PoolSettings(p.enabled() == null || p.enabled(),
                Durations.parse(at + "idle_timeout", p.idleTimeout(), d.idleTimeout()), responderIdle,
                atLeast(at + "max_idle_per_key", p.maxIdlePerKey(), d.maxIdlePerKey(), 0),
                atLeast(at + "max_idle", p.maxIdle(), d.maxIdle(), 0),
                atLeast(at + "max_exchanges", p.maxExchanges(), d.maxExchanges(), 1),
                Durations.parse(at + "max_age", p.maxAge(), d.maxAge()));
    }

    private static int atLeast(String path, Integer value, int fallback, int min) throws ConfigException {
        if (value == null) return fallback;
        if (value < min) throw new ConfigException(path + ": must be at least " + min);
        return value;
    }
}
