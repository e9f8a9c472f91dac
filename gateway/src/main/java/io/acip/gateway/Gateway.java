package io.acip.gateway;

import io.acip.control.RouteAttributes;
import io.acip.gateway.admin.AdminServer;
import io.acip.gateway.bridge.BridgeConfig;
import io.acip.gateway.bridge.SessionPool;
import io.acip.gateway.config.Addresses;
import io.acip.gateway.config.ConfigException;
import io.acip.gateway.config.Durations;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.egress.Cidr;
import io.acip.gateway.egress.EgressPolicy;
import io.acip.gateway.http.HeaderLimits;
import io.acip.gateway.http.RequestPath;
import io.acip.gateway.mapping.PathNormalization;
import io.acip.gateway.mapping.SkillMapper;
import io.acip.gateway.origin.OriginConfig;
import io.acip.gateway.origin.OriginForwarder;
import io.acip.gateway.registry.AgentRegistry;
import io.acip.gateway.registry.RegistrySettings;
import io.acip.gateway.registry.RegistrySync;
import io.acip.gateway.udp.UdpRelay;
import io.acip.gateway.udp.UdpSettings;
import io.acip.gateway.auth.AgentAuthenticator;
import io.acip.gateway.auth.AuthConfig;
import io.acip.gateway.policy.PolicyConfig;
import io.acip.ingress.DatagramTransport;
import io.acip.ingress.jetty.IngressConfig;
import io.acip.ingress.jetty.IngressServer;
import io.acip.link.LinkConfig;
import io.acip.node.Node;
import io.acip.node.NodeConfig;
import io.acip.routing.NextHop;
import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import io.acip.tls.LeafCertificateMinter;
import io.acip.tls.Pem;
import io.acip.wire.SkillName;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One running node built from a {@link GatewayConfig}: the ACIP node, the HTTP front door (if configured), the
 * agents it delivers to, and the admin listener. The same class runs an edge gateway, a transit router and a far
 * gateway; which one it is follows from the configuration.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());
    private static final Duration NODE_CERT_VALIDITY = Duration.ofDays(30);

    private final ConfigReload reload;
    private volatile Path source;
    private final Node node;
    private final SessionPool pool;
    private final OriginForwarder forwarder;
    private final OriginForwarder directForwarder;
    private final AgentAttachment agents;
    private final GatewayMetrics metrics;
    private final IngressServer ingress;
    private final GatewayHandler handler;
    private final AdminServer admin;
    private final UdpRelay udp;
    private final RegistrySync registry;
    private final Duration drainTimeout;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private boolean draining;

    private Gateway(GatewayConfig config, Node node, SessionPool pool, OriginForwarder forwarder, OriginForwarder directForwarder,
                    AgentAttachment agents, GatewayMetrics metrics, IngressServer ingress, GatewayHandler handler,
                    AdminServer admin, UdpRelay udp, RegistrySync registry, Duration drainTimeout,
                    ConfigReload reload) {
        this.reload = reload;
        this.drainTimeout = drainTimeout;
        this.node = node;
        this.pool = pool;
        this.forwarder = forwarder;
        this.directForwarder = directForwarder;
        this.agents = agents;
        this.metrics = metrics;
        this.ingress = ingress;
        this.handler = handler;
        this.admin = admin;
        this.udp = udp;
        this.registry = registry;
    }

    /** Starts everything the configuration names; on failure, stops what already started. */
    public static Gateway start(GatewayConfig c) throws Exception {
        io.acip.gateway.config.ConfigLoader.validate(c);
        GatewayConfig.Node n = c.node();
        Path dataDir = Path.of(n.dataDir() == null ? "data" : n.dataDir());
        Path caDir = n.fabricCa() != null ? Path.of(n.fabricCa()) : dataDir.resolve("ca");
        FabricCa ca = FabricCa.loadOrCreate(caDir, "ACIP fabric");
        IssuedIdentity nodeIdentity = ca.issueNode(n.id(), NODE_CERT_VALIDITY);
        List<NodeConfig.Neighbour> neighbours = new ArrayList<>();
        for (int i = 0; i < n.neighbours().size(); i++) {
            GatewayConfig.Neighbour nb = n.neighbours().get(i);
            neighbours.add(new NodeConfig.Neighbour(nb.id(), Addresses.parse("node.neighbours[" + i + "].address",
                    nb.address())));
        }
        NodeConfig nodeConfig = new NodeConfig(n.id(), n.listen() == null ? null : Addresses.parse("node.listen",
                n.listen()), nodeIdentity, ca.certificate(), neighbours, io.acip.gateway.config.ConfigLoader.linkConfig(n),
                Durations.parse("node.timeouts.setup", n.timeouts().setup(), Duration.ofSeconds(10)),
                Durations.parse("node.timeouts.attempt", n.timeouts().attempt(), Duration.ofSeconds(3)),
                Durations.parse("node.timeouts.idle", n.timeouts().idle(), Duration.ofMinutes(5)),
                n.maxSessions(), Set.of(), io.acip.gateway.config.ConfigLoader.resumptionLifetime(n),
                n.requireAttestation(), n.eventLoops());
        List<AutoCloseable> started = new ArrayList<>();
        try {
            Node node = Node.start(nodeConfig, io.acip.gateway.config.RouteExchange.of(n));
            started.add(node);
            for (GatewayConfig.Route r : n.routes()) {
                node.addRoute(r.tenant(), new SkillName(r.prefix()), new NextHop.Neighbour(r.via(), r.priority(),
                        r.weight(), r.region(), r.attributes()));
                if (r.advertise()) { // docs/acip-v0.md §12: this node offers what it reaches through the route
                    node.control().originate(r.tenant(), new SkillName(r.prefix()), "static:" + r.via(),
                            new RouteAttributes(RouteAttributes.ORIGIN_STATIC, r.region(), r.attributes(), -1, -1));
                }
            }
            if (c.logging().json()) io.acip.gateway.logs.JsonLogFormatter.install(); // the process's logs
            GatewayMetrics metrics = new GatewayMetrics(node.stats());
            metrics.bind(node, io.acip.gateway.telemetry.Tracing.of(c.telemetry(), n.id()));
            Boolean access = c.logging().access();
            metrics.accessLog(c.http() != null && (access == null || access));
            started.add(metrics);
            GatewayConfig.Http h = c.http();
            String name = h != null ? h.name() : n.id();
            OriginForwarder forwarder = OriginForwarder.start(OriginForwarder.Settings.defaults(name), null,
                    node.eventLoopGroup());
            started.add(forwarder);
            Duration firstByte = Durations.parse("http.first_byte_timeout", h == null ? null : h.firstByteTimeout(),
                    Duration.ofSeconds(60));
            BridgeConfig bridge = new BridgeConfig(name, firstByte, 256 * 1024, HeaderLimits.DEFAULT.binaryHttp(),
                    streamIdle(h), io.acip.gateway.config.ConfigLoader.sessionPool(n));
            SessionPool pool = new SessionPool(node, bridge.pool());
            SkillMapper mapper = mapper(h);
            EgressPolicy egress = egressPolicy(c.egress());
            // Direct egress gets a client of its own whose resolver applies the policy to what it connects to;
            // the shared one reaches attached agents, which may well be private.
            OriginForwarder direct = c.egress().direct()
                    ? OriginForwarder.start(OriginForwarder.Settings.defaults(name), egress, node.eventLoopGroup())
                    : forwarder;
            if (direct != forwarder) started.add(direct);
            metrics.include(() -> forwarder.counters("origin."));
            if (direct != forwarder) metrics.include(() -> direct.counters("egress.origin."));
            DatagramTransport transport = datagramTransport(c);
            UdpRelay udp = new UdpRelay(udpSettings(c, transport), egress, c.egress().directUdp(), metrics);
            started.add(udp);
            AgentAttachment agents = new AgentAttachment(pool, ca, forwarder, bridge, mapper, false, udp,
                    metrics.exchanges());
            attachConfigured(c, agents, forwarder);
            agents.reserve(c);
            // Run-time registrations (a restart's, or other replicas'): after configuration, which they cannot take.
            RegistrySync registry = new RegistrySync(RegistrySettings.open(c.registry(),
                    n.dataDir() == null ? null : dataDir), agents, new io.acip.gateway.admin.AttachScope(
                    c.admin() == null ? GatewayConfig.Admin.LOOPBACK : c.admin().attachAllowed())::check);
            started.add(registry);
            agents.registry(registry);
            registry.start();
            Duration lease = RegistrySettings.lease(c.registry());
            if (!lease.isZero() && c.registry().cardRenewal()) registry.renewByCards(forwarder.httpClient(), lease);

            IngressServer ingress = null;
            GatewayHandler handler = null;
            if (h != null) {
                List<SkillName> intercept = h.intercept().stream().map(SkillName::new).toList();
                AgentAuthenticator authenticator = AuthConfig.authenticator(c.auth(), name);
                started.add(authenticator);
                authenticator.start();
                if (!authenticator.enabled()) {
                    LOG.warning("no auth section: every agent that reaches " + name + " is served anonymously; see "
                            + "docs/security.md to require credentials");
                }
                handler = new GatewayHandler(pool, mapper, bridge, egress, intercept,
                        ex -> direct.forward(ex, OriginConfig.of(URI.create(ex.request().scheme() + "://"
                                + ex.request().authority())), ex.request().path(), true), metrics, udp,
                        authenticator, PolicyConfig.policy(c.policy(), authenticator.enabled()));
                ingress = new IngressServer(ingressConfig(c, ca, !intercept.isEmpty(), transport),
                        new PathNormalization(handler, mapper, RequestPath.EscapedSlashes.parse(h.escapedSlashes()),
                                metrics));
                metrics.include(ingress.counters()::snapshot);
                metrics.bind(ingress.threadPool());
                started.add(ingress);
                ingress.start();
            }
            AdminServer admin = null;
            CompletableFuture<Gateway> self = new CompletableFuture<>();
            if (c.admin() != null) {
                admin = AdminServer.start(c.admin(), ca, node, agents, registry.registry(), metrics,
                        () -> self.join().drain(), () -> self.join().reload());
                started.add(admin);
            }
            Gateway g = new Gateway(c, node, pool, forwarder, direct, agents, metrics, ingress, handler, admin, udp,
                    registry, io.acip.gateway.config.ConfigLoader.drainTimeout(c), new ConfigReload(c, node, mapper,
                    agents, handler, forwarder, name));
            self.complete(g);
            LOG.info(() -> "node " + n.id() + " started" + (node.linkAddress() != null ? ", links on udp "
                    + node.linkAddress() : "") + (g.ingress != null ? ", http on " + java.util.Arrays.toString(g.httpPorts()) : ""));
            return g;
        } catch (Exception | Error e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** Silence that ends a stream, at the edge (agent side) and the far side (origin side) alike. */
    private static Duration streamIdle(GatewayConfig.Http h) throws ConfigException {
        return Durations.parse("http.stream_idle_timeout", h == null ? null : h.streamIdleTimeout(),
                BridgeConfig.DEFAULT_STREAM_IDLE);
    }

    private static SkillMapper mapper(GatewayConfig.Http h) {
        if (h == null) return new SkillMapper("acip", "/skills/", List.of());
        SkillMapper m = new SkillMapper(h.hostSuffix(), h.pathPrefix(), rules(h));
        h.skills().forEach(s -> m.register(new SkillName(s)));
        return m;
    }

    static List<SkillMapper.Rule> rules(GatewayConfig.Http h) {
        return h.rules().stream().map(r -> new SkillMapper.Rule(r.host().toLowerCase(), r.pathPrefix(),
                new SkillName(r.skill()), r.stripPrefix())).toList();
    }

    /** {@code udp.native_transport}, resolved on this machine and said once at start. */
    private static DatagramTransport datagramTransport(GatewayConfig c) {
        boolean wanted = !"nio".equals(c.udp().nativeTransport());
        DatagramTransport t = DatagramTransport.select(wanted);
        String why = !wanted ? " (udp.native_transport: nio)"
                : t == DatagramTransport.NIO ? " (epoll unavailable: " + DatagramTransport.epollUnavailable() + ")" : "";
        LOG.info("UDP sockets (HTTP/3 listener, CONNECT-UDP relay) run on " + t + why);
        return t;
    }

    private static UdpSettings udpSettings(GatewayConfig c, DatagramTransport transport) throws ConfigException {
        List<InetSocketAddress> nameservers = new ArrayList<>();
        List<String> listed = c.egress().dns().nameservers();
        for (int i = 0; i < listed.size(); i++) {
            nameservers.add(Addresses.parse("egress.dns.nameservers[" + i + "]", listed.get(i)));
        }
        return new UdpSettings(nameservers,
                Durations.parse("egress.dns.timeout", c.egress().dns().timeout(), UdpSettings.DEFAULT_DNS_TIMEOUT),
                Durations.parse("udp.idle_timeout", c.udp().idleTimeout(), UdpSettings.DEFAULT_IDLE_TIMEOUT),
                UdpSettings.dgramPayloadLimit(LinkConfig.DEFAULT), transport);
    }

    private static EgressPolicy egressPolicy(GatewayConfig.Egress e) {
        return new EgressPolicy(e.direct(), e.allow().stream().map(Cidr::parse).toList());
    }

    private static void attachConfigured(GatewayConfig c, AgentAttachment agents, OriginForwarder forwarder)
            throws Exception {
        for (GatewayConfig.Agent a : c.agents()) {
            agents.attach(ConfigReload.registration(a, forwarder), ConfigReload.delivery(a));
        }
    }

    private static IngressConfig ingressConfig(GatewayConfig c, FabricCa ca, boolean intercept,
                                               DatagramTransport transport) throws Exception {
        GatewayConfig.Http h = c.http();
        // The stages that forward (bridge, origin forwarder) add this hop's Via themselves, once.
        IngressConfig.Builder b = IngressConfig.builder(h.name()).addVia(false)
                .requestHeaderSize(HeaderLimits.DEFAULT.request())
                .responseHeaderSize(HeaderLimits.DEFAULT.response() + HeaderLimits.ADDED);
        if (h.listen() != null) b.cleartext(Addresses.parse("http.listen", h.listen()));
        if (h.tlsListen() != null) {
            InetSocketAddress tls = Addresses.parse("http.tls_listen", h.tlsListen());
            IssuedIdentity identity;
            if (h.tlsCertificate() != null) {
                identity = new IssuedIdentity(Pem.readPrivateKey(Path.of(h.tlsKey())),
                        Pem.readCertificates(Path.of(h.tlsCertificate())));
            } else {
                identity = ca.issueServer(List.of("localhost"), List.of(InetAddress.getLoopbackAddress(),
                        InetAddress.getByName("::1")), NODE_CERT_VALIDITY);
            }
            b.tls(tls, identity);
        }
        if (intercept) b.interception(new LeafCertificateMinter(ca));
        b.clientTrust(AuthConfig.clientTrust(c.auth()));
        if (h.connectUdpTemplate() != null) b.connectUdpPath(h.connectUdpTemplate());
        b.idleTimeout(streamIdle(h)); // silence only: Jetty's idle timer restarts with every byte either way
        b.udpIdleTimeout(Durations.parse("udp.idle_timeout", c.udp().idleTimeout(), UdpSettings.DEFAULT_IDLE_TIMEOUT));
        GatewayConfig.Limits limits = h.limits();
        Duration headTimeout = Durations.parse("http.limits.request_head_timeout", limits.requestHeadTimeout(), null);
        if (headTimeout != null) b.requestHeadTimeout(headTimeout);
        if (limits.maxConnectionsPerIp() != null) b.maxConnectionsPerIp(limits.maxConnectionsPerIp());
        if (limits.maxConcurrentStreams() != null) b.maxConcurrentStreams(limits.maxConcurrentStreams());
        return b.http3(h.http3()).datagramTransport(transport).build();
    }

    public Node node() {
        return node;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public AgentAttachment agents() {
        return agents;
    }

    /** Where run-time registrations live (the file store, or etcd shared with replicas). */
    public AgentRegistry registry() {
        return registry.registry();
    }

    /** Bound HTTP ports, cleartext then TLS (-1 when absent). */
    public int[] httpPorts() {
        return ingress == null ? new int[] {-1, -1} : new int[] {ingress.cleartextPort(), ingress.tlsPort()};
    }

    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /** The stage the HTTP listeners hand requests and CONNECT-UDP flows to; null on a node without {@code http}. */
    public GatewayHandler handler() {
        return handler;
    }

    /** The configuration running now (the last one reloaded). */
    public GatewayConfig config() {
        return reload.running();
    }

    /** Names the file this node was started from, so SIGHUP and {@code POST /reload} can read it again. */
    public Gateway source(Path file) {
        source = file;
        return this;
    }

    /**
     * Reads the node's file again and applies it ({@link ConfigReload}): the sections that changed, or the reason
     * nothing did (an invalid document, or a change that needs a restart, by the fields' paths).
     */
    public List<String> reload() throws ConfigException {
        Path file = source;
        if (file == null) throw new ConfigException("(reload): this node was not started from a file");
        return reload(load(file));
    }

    /** Applies {@code next} to this running node, as {@link #reload()} does with the file. */
    public List<String> reload(GatewayConfig next) throws ConfigException {
        return reload.apply(next);
    }

    /**
     * Drains, then stops (SIGTERM, {@code POST /drain}): the node refuses new SETUPs from neighbours (they fail over,
     * docs/acip-v0.md §6.5), the listeners stop accepting (GOAWAY on HTTP/2 and HTTP/3, 503 with {@code Connection:
     * close} for requests on open HTTP/1.1 connections, no new CONNECT-UDP flows), exchanges, tunnels, flows and
     * sessions in progress get {@code shutdown.drain_timeout} to finish, then what is left is cut and the node
     * closes. Runs once, on a thread of its own; every call returns the same future, complete once stopped.
     */
    public synchronized CompletableFuture<Void> drain() {
        if (draining) return drained;
        draining = true;
        Thread t = new Thread(this::runDrain, "drain-" + node.nodeId());
        t.setDaemon(false);
        t.start();
        return drained;
    }

    private void runDrain() {
        long start = System.nanoTime();
        long deadline = start + drainTimeout.toNanos();
        metrics.inc("gateway.drain.started");
        LOG.info("node " + node.nodeId() + " draining: what is in flight has " + drainTimeout.toSeconds()
                + " s to finish");
        try {
            node.drain();
            pool.drain(); // sessions kept for later exchanges end now; those in use, after their exchange
            boolean listenersIdle = ingress == null || ingress.drain(drainTimeout);
            int sessions = node.activeSessions().get(5, TimeUnit.SECONDS);
            // Transit and far sessions end when their ends finish: wait for them within what is left.
            while (sessions > 0 && System.nanoTime() < deadline) {
                Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                sessions = node.activeSessions().get(5, TimeUnit.SECONDS);
            }
            if (!listenersIdle) metrics.inc("gateway.drain.cut_exchanges");
            if (sessions > 0) metrics.add("gateway.drain.cut_sessions", sessions);
            long ms = (System.nanoTime() - start) / 1_000_000;
            int left = sessions;
            LOG.info(() -> "node " + node.nodeId() + " drained in " + ms + " ms: "
                    + (listenersIdle && left == 0 ? "nothing was cut" : (listenersIdle ? "" : "exchanges, tunnels or "
                    + "flows still in progress at the deadline were cut; ") + left + " sessions cut"));
            close();
            drained.complete(null);
        } catch (Exception e) {
            LOG.warning("node " + node.nodeId() + " drain failed: " + e + "; closing");
            try {
                close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            drained.completeExceptionally(e);
        } catch (Error e) {
            drained.completeExceptionally(e);
            throw e;
        }
    }

    /** Completes once a drain (started by anyone) has stopped the node; starts nothing itself. */
    public CompletableFuture<Void> whenDrained() {
        return drained;
    }

    /** How long a drain lets what is in flight finish ({@code shutdown.drain_timeout}). */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    @Override
    public void close() throws Exception {
        if (admin != null) admin.close();
        if (ingress != null) ingress.close();
        registry.close();
        forwarder.close();
        if (directForwarder != forwarder) directForwarder.close();
        udp.close();
        if (handler != null) handler.close();
        node.close();
        metrics.close();
    }

    /** For {@code --config}: a checked document, or the reason it is refused. */
    public static GatewayConfig load(Path file) throws ConfigException {
        if (!Files.isRegularFile(file)) throw new ConfigException(file + ": no such file");
        return io.acip.gateway.config.ConfigLoader.load(file);
    }
}
