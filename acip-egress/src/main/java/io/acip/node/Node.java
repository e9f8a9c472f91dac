package io.acip.node;

import io.acip.control.ControlConfig;
import io.acip.control.ControlPlane;
import io.acip.routing.NextHop;
import io.acip.routing.Route;
import io.acip.routing.RouteTable;
import io.acip.seal.SessionAuthenticationException;
import io.acip.seal.SessionKeys;
import io.acip.wire.Header;
import io.acip.wire.MalformedPacketException;
import io.acip.wire.Metadata;
import io.acip.wire.PacketType;
import io.acip.wire.Packets;
import io.acip.wire.Reset;
import io.acip.wire.ResetCode;
import io.acip.wire.Sealed;
import io.acip.wire.Setup;
import io.acip.wire.SetupAck;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import io.acip.seal.ResumptionTicket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * An ACIP node: initiator, transit router and responder in one (docs/acip-v0.md §6). It routes each SETUP by skill
 * to a neighbour link or a local instance, pairs the session's legs, and from then on moves packets between them by
 * label alone. Sessions and links are spread over the node's event loops, one per core by default: each link and
 * each leg lives on one loop, a session's legs share theirs or are joined by a {@link LoopRelay}, and nothing on the
 * per-packet path takes a lock. Route exchange runs on the first loop, the home loop.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Node.class.getName());
    /** One ticket per (skill, initiator, tenant) this node opens sessions to: 4096 x ~150 bytes. */
    private static final int INITIATOR_TICKETS = 4096;
    /** Tickets held for initiators elsewhere: 65536 x ~150 bytes, about 10 MB at most. */
    private static final int RESPONDER_TICKETS = 65_536;

    final NodeConfig config;
    final NodeStats stats = new NodeStats();
    /** This node's key, ready to sign its initiators' attestations (docs/acip-v0.md §7.6). */
    final io.acip.seal.AttestationSigner attestationSigner;
    final io.acip.seal.AttestationVerifier attestationVerifier;
    private final MultiThreadIoEventLoopGroup group;
    /** The home loop: links, route exchange, node-wide timers. */
    private final EventLoop loop;
    private final EventLoop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    /** Tickets this node resumes its own sessions under, by {@link #ticketKey}. */
    private final TicketCache<String> initiatorTickets = new TicketCache<>(INITIATOR_TICKETS);
    /** Tickets this node's skill instances issued, by ticket ID. */
    private final TicketCache<java.nio.ByteBuffer> responderTickets = new TicketCache<>(RESPONDER_TICKETS);
    private final RouteTable routes = new RouteTable();
    private final Map<String, Link> links = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<Void>>> linkWaiters = new HashMap<>();
    /** The legs counted toward {@code max_sessions}, by their loop: each set is touched by its loop only. */
    private final Map<EventLoop, Set<Leg>> sessions = new java.util.IdentityHashMap<>();
    /** The sessions' size in all, so that {@code max_sessions} holds exactly across loops. */
    private final AtomicInteger sessionCount = new AtomicInteger();
    private final SetupRouter router;
    private final LinkEndpoints linkEndpoints;
    private final ControlPlane control;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicLong linkUps = new AtomicLong();
    private volatile boolean draining;
    volatile NodeTimings timings = NodeTimings.NONE;

    private Node(NodeConfig config, ControlConfig controlConfig) {
        this.config = config;
        this.attestationSigner = new io.acip.seal.AttestationSigner(config.identity().privateKey(),
                config.identity().certificate());
        this.attestationVerifier = new io.acip.seal.AttestationVerifier(config.fabricCa());
        this.group = new MultiThreadIoEventLoopGroup(config.loops(),
                new io.netty.util.concurrent.DefaultThreadFactory("acip-node"),
                NioIoHandler.newFactory());
        this.loops = new EventLoop[config.loops()];
        for (int i = 0; i < loops.length; i++) loops[i] = group.next();
        this.loop = loops[0];
        for (EventLoop l : loops) sessions.put(l, Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        this.router = new SetupRouter(this);
        this.linkEndpoints = new LinkEndpoints(this);
        this.control = new ControlPlane(config.nodeId(), routes, loop, controlConfig, stats::inc);
    }

    /** Starts a node: binds its link listener (if any), dials its neighbours, and returns once listening. */
    public static Node start(NodeConfig config) throws InterruptedException {
        return start(config, ControlConfig.DEFAULT);
    }

    /** Starts a node that exchanges routes with its neighbours as {@code controlConfig} says (§12). */
    public static Node start(NodeConfig config, ControlConfig controlConfig) throws InterruptedException {
        Node node = new Node(config, controlConfig);
        try {
            node.linkEndpoints.start();
        } catch (RuntimeException | InterruptedException e) {
            node.close();
            throw e;
        }
        long sweepMs = Math.max(100, Math.min(1000, config.idleTimeout().toMillis() / 4));
        for (EventLoop l : node.loops) {
            l.scheduleAtFixedRate(() -> node.sweepIdle(l), sweepMs, sweepMs, TimeUnit.MILLISECONDS);
        }
        return node;
    }

    public String nodeId() {
        return config.nodeId();
    }

    /** Sockets the node accepts links on (one per event loop where the OS lets them share the port). */
    int linkListeners() {
        return linkEndpoints.listeners();
    }

    /** The UDP address links are accepted on (with the port chosen, if 0 was configured). */
    public InetSocketAddress linkAddress() {
        return linkEndpoints.boundAddress();
    }

    /**
     * Links that came up since the node started: a path that was down may be back, so what was chosen while it was
     * down (a pooled session's path, for one) may no longer be the best.
     */
    public long linkUps() {
        return linkUps.get();
    }

    public NodeStats stats() {
        return stats;
    }

    /** Where this node reports the durations it measures (session setup, link RTT); nowhere by default. */
    public void timings(NodeTimings t) {
        timings = t == null ? NodeTimings.NONE : t;
    }

    public RouteTable routes() {
        return routes;
    }

    /** Route exchange with the neighbours: originate and withdraw routes, see what was learned (§12). */
    public ControlPlane control() {
        return control;
    }

    /** Routes {@code prefix} (in {@code tenant}) to a neighbour. */
    public void addRoute(long tenant, SkillName prefix, NextHop.Neighbour hop) {
        routes.add(tenant, prefix, hop);
    }

    /** Serves {@code skill} (in {@code tenant}) on this node through {@code instance}. */
    public void attach(long tenant, SkillName skill, LocalInstance instance) {
        router.attach(instance);
        routes.add(tenant, skill, instance.hop());
    }

    public void detach(long tenant, SkillName skill, String instanceId) {
        routes.remove(tenant, skill, "local:" + instanceId);
        router.detach(instanceId);
    }

    /** Completes when a link to {@code neighbour} is up (at once if one is). */
    public CompletableFuture<Void> linkReady(String neighbour) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (linkWaiters) { // links come up on their own loops
            Link l = links.get(neighbour);
            if (l != null && l.isActive()) {
                f.complete(null);
            } else {
                linkWaiters.computeIfAbsent(neighbour, n -> new ArrayList<>()).add(f);
            }
        }
        return f;
    }

    /** One line per leg on a link: which neighbour, which label. For the admin API and tests. */
    public CompletableFuture<List<String>> linkLabels() {
        List<CompletableFuture<List<String>>> each = new ArrayList<>();
        for (Link l : links.values()) { // each link's legs on its own loop
            CompletableFuture<List<String>> f = new CompletableFuture<>();
            l.quic.eventLoop().execute(() -> {
                List<String> out = new ArrayList<>();
                for (StreamLeg leg : l.legs()) {
                    if (!leg.finished) out.add(l.peerNodeId + " 0x" + Integer.toHexString(leg.label));
                }
                f.complete(out);
            });
            each.add(f);
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> each.stream()
                .flatMap(f -> f.join().stream()).toList());
    }

    /** Neighbours with an active link, for health and metrics. */
    /**
     * Starts draining (docs/acip-v0.md §6.5): SETUPs that arrive over links are refused with {@code no_capacity}, so
     * the previous hop fails over at once, while established sessions, and sessions this node's own initiators open
     * for work already accepted, go on. Idempotent; there is no way back but a restart.
     */
    public void drain() {
        if (!draining) LOG.info(() -> "node " + nodeId() + " draining: new SETUPs from neighbours are refused");
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    /** Sessions this node carries now (as initiator, transit or responder). */
    public CompletableFuture<Integer> activeSessions() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        f.complete(sessionCount.get());
        return f;
    }

    /** Each neighbour with an active link, and the link's last measured round trip in ms (-1 until measured). */
    public CompletableFuture<Map<String, Long>> linkRtts() {
        CompletableFuture<Map<String, Long>> f = new CompletableFuture<>();
        loop.execute(() -> {
            Map<String, Long> out = new java.util.TreeMap<>();
            for (Link l : links.values()) if (l.isActive()) out.put(l.peerNodeId, l.rttMs);
            f.complete(out);
        });
        return f;
    }

    public CompletableFuture<List<String>> connectedNeighbours() {
        CompletableFuture<List<String>> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(links.values().stream().filter(Link::isActive).map(l -> l.peerNodeId).toList()));
        return f;
    }

    /**
     * Opens a session. Returns at once; {@code handler} hears {@code onOpen} when the responder accepted, or
     * {@code onReset} with the reason it could not be set up.
     */
    public Session open(SessionRequest request, SessionHandler handler) {
        Session s = new Session(this, loopForInitiator(request), true, request.datagramMode(), request.skill(),
                handler);
        s.loop.execute(() -> {
            stats.inc("acip.session.initiated");
            s.lastActivityNanos = System.nanoTime();
            s.openedAskedNanos = s.lastActivityNanos;
            s.setupTimer = s.loop.schedule(() -> {
                if (s.state == Session.State.SETTING_UP) {
                    abort(s, ResetCode.TIMEOUT, "no SETUP_ACK within " + config.setupTimeout().toMillis() + " ms");
                }
            }, config.setupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            setUp(s, request, true);
        });
        return s;
    }

    /** Sends the initiator's SETUP: resuming under a held ticket when {@code resume} allows and one is held. */
    private void setUp(Session s, SessionRequest request, boolean resume) {
        String key = ticketKey(request);
        ResumptionTicket ticket = resume ? initiatorTickets.get(key, System.nanoTime()) : null;
        s.request = request;
        s.handshake = ticket == null ? SessionHandshake.full(random) : SessionHandshake.resume(ticket, random);
        List<Tlv> tlvs = new ArrayList<>(request.metadata());
        tlvs.add(s.handshake.setupTlv());
        s.setupSent = new Setup(0, request.hopLimit(), request.datagramMode(), request.skill(), request.initiator(),
                new Metadata(tlvs));
        router.route(s, s.setupSent);
    }

    /**
     * A resumed SETUP was refused with {@code resumption_refused}: forget the ticket and set the session up again with
     * a full handshake, within the same setup timeout (docs/acip-v0.md §7.5). False when {@code code} is anything else.
     */
    boolean retryWithoutTicket(Session s, ResetCode code) {
        if (code != ResetCode.RESUMPTION_REFUSED || !s.initiator || s.state != Session.State.SETTING_UP
                || s.handshake.ticket() == null) {
            return false;
        }
        stats.inc("acip.session.resumption_retried");
        String key = ticketKey(s.request);
        if (initiatorTickets.get(key, System.nanoTime()) == s.handshake.ticket()) initiatorTickets.remove(key);
        s.peer = null;
        s.pending = null;
        s.loop.execute(() -> {
            if (s.state == Session.State.SETTING_UP) setUp(s, s.request, false);
        });
        return true;
    }

    /** Tickets resume sessions to the same skill, as the same initiator, in the same tenant. */
    private static String ticketKey(SessionRequest request) {
        String tenant = "";
        for (Tlv t : request.metadata()) {
            if (t.type() == TlvType.TENANT) tenant = java.util.HexFormat.of().formatHex(t.value());
        }
        return request.skill().value() + '\n' + request.initiator() + '\n' + tenant;
    }

    /** The ticket this node holds as a responder under {@code id}, or null. */
    ResumptionTicket heldTicket(byte[] id) {
        return responderTickets.get(java.nio.ByteBuffer.wrap(id), System.nanoTime());
    }

    /** Keeps a ticket this node issued as a responder. */
    void holdTicket(ResumptionTicket ticket) {
        responderTickets.put(java.nio.ByteBuffer.wrap(ticket.id()), ticket);
    }

    /** The home loop. */
    EventLoop loop() {
        return loop;
    }

    /** The node's event loops, home loop first. */
    public int eventLoops() {
        return loops.length;
    }

    /**
     * The node's loops (NIO), for work that should sit beside its sessions: the gateway's connections to HTTP origins
     * run there, so an exchange goes from its session to the origin's socket on one thread. Such work must never
     * block a loop.
     */
    public io.netty.channel.EventLoopGroup eventLoopGroup() {
        return group;
    }

    /** Loop {@code i}: the home loop is 0. */
    EventLoop loopAt(int i) {
        return loops[i];
    }

    /** The next loop in turn, for work that may go anywhere. */
    EventLoop nextLoop() {
        return loops.length == 1 ? loop : loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
    }

    /**
     * A new initiator's loop: the caller's own when it runs on one of this node's loops (a session opened from
     * another session's handler stays beside it); for a datagram session, the loop of the link its route starts on,
     * if it leaves the node (its work is per packet, and a relay would cost more per packet than it spreads); else
     * the next in turn.
     */
    private EventLoop loopForInitiator(SessionRequest request) {
        for (EventLoop l : loops) {
            if (l.inEventLoop()) return l;
        }
        if (request.datagramMode() && loops.length > 1) {
            Link via = firstLink(request);
            if (via != null) return via.quic.eventLoop();
        }
        return nextLoop();
    }

    /** The active link to the first neighbour on the route of {@code request}, or null (none, or a local skill). */
    private Link firstLink(SessionRequest request) {
        long tenant = 0;
        for (Tlv t : request.metadata()) {
            if (t.type() == TlvType.TENANT) {
                try {
                    tenant = t.varInt();
                } catch (MalformedPacketException e) {
                    return null; // refused when routed
                }
            }
        }
        Route route = routes.lookup(tenant, request.skill()).orElse(null);
        if (route == null) return null;
        for (NextHop hop : route.hops()) {
            if (hop instanceof NextHop.Local) return null;
            Link l = link(((NextHop.Neighbour) hop).nodeId());
            if (l != null) return l;
        }
        return null;
    }

    RouteTable routeTable() {
        return routes;
    }

    /** The active link to {@code neighbour}, or null. */
    Link link(String neighbour) {
        Link l = links.get(neighbour);
        return l != null && l.isActive() ? l : null;
    }

    /** Long for latency policies: the link's measured round trip, -1 when unknown. */
    long rttMs(String neighbour) {
        Link l = links.get(neighbour);
        return l == null ? -1 : l.rttMs;
    }

    /** Counts a leg toward {@code max_sessions} and the idle sweep; false when the node is full. */
    boolean track(Leg leg) {
        if (sessionCount.incrementAndGet() > config.maxSessions()) {
            sessionCount.decrementAndGet();
            return false;
        }
        sessions.get(leg.loop).add(leg);
        return true;
    }

    int sessionCount() {
        return sessionCount.get();
    }

    SecureRandom random() {
        return random;
    }

    void openStream(StreamLeg leg) {
        linkEndpoints.openStream(leg);
    }

    /** Called by LinkEndpoints and StreamHandler: see {@link SetupRouter#legFailed}. */
    void legFailed(StreamLeg leg, String why) {
        router.legFailed(leg, why);
    }

    ByteBufAllocator alloc() {
        return ByteBufAllocator.DEFAULT;
    }

    // ---------------------------------------------------------------- packets between legs

    /**
     * A packet that arrived on {@code from}: from a link stream (any type but the SETUP that created the leg), or handed
     * over by a relay from another loop. Takes ownership.
     */
    void onStreamPacket(Leg from, ByteBuf packet) {
        if (from.finished) {
            packet.release();
            return;
        }
        PacketType type;
        try {
            type = Header.validate(packet);
            if (type.sealed()) Sealed.validate(packet);
        } catch (MalformedPacketException e) {
            packet.release();
            protocolViolation(from, e.getMessage());
            return;
        }
        Leg upstream = from.peer;
        boolean awaitingAck = upstream != null && upstream.pending != null;
        switch (type) {
            case SETUP, DGRAM, OPEN, UPDATE, NOTIFICATION -> {
                packet.release();
                protocolViolation(from, type + " inside an established stream");
            }
            case SETUP_ACK -> {
                SetupAck ack;
                try {
                    ack = SetupAck.decode(packet);
                } catch (MalformedPacketException e) {
                    packet.release();
                    protocolViolation(from, e.getMessage());
                    return;
                }
                if (!awaitingAck) {
                    packet.release();
                    protocolViolation(from, "SETUP_ACK for a session that is not being set up");
                    return;
                }
                router.settleAttempt(upstream, true);
                if (from instanceof LoopRelay.End) { // counted, and this node put on the trajectory, where it arrived
                    relaySetupAck(upstream, ack, packet);
                    return;
                }
                packet.release();
                stats.inc("acip.session.established");
                passSetupAck(from, ack);
            }
            case RESET -> {
                Reset reset;
                try {
                    reset = Reset.decode(packet);
                } catch (MalformedPacketException e) {
                    packet.release();
                    protocolViolation(from, "malformed RESET: " + e.getMessage());
                    return;
                }
                boolean relayed = from instanceof LoopRelay.End;
                if (!relayed) stats.inc(NodeStats.resetReceived(reset.code()));
                if (awaitingAck && SetupRouter.failsOver(reset.code())) {
                    packet.release();
                    router.attemptFailed(upstream, from, reset.code(), relayed ? reset.detail()
                            : ((StreamLeg) from).link.peerNodeId + ": " + reset.detail(), false);
                    return;
                }
                if (awaitingAck) router.settleAttempt(upstream, true);
                forwardTerminal(from, packet); // as received: codes and fields this node does not know survive
            }
            case CLOSE -> {
                try {
                    Packets.requireEmpty(packet, type);
                    if (awaitingAck || from.pending != null) throw new MalformedPacketException("CLOSE before SETUP_ACK");
                } catch (MalformedPacketException e) {
                    packet.release();
                    protocolViolation(from, e.getMessage());
                    return;
                }
                forwardTerminal(from, packet);
            }
            case DATA, PING -> {
                if (awaitingAck || from.pending != null) { // either direction: nothing flows before SETUP_ACK
                    packet.release();
                    protocolViolation(from, type + " before SETUP_ACK");
                    return;
                }
                forward(from, packet);
            }
        }
    }


    /** A DGRAM or link PING from a link's QUIC DATAGRAM frames. Takes ownership. */
    void onLinkDatagram(Link link, ByteBuf packet) {
        try {
            PacketType type = Header.validate(packet);
            if (type == PacketType.PING && Header.label(packet) == 0) {
                linkEndpoints.onLinkPing(link, packet);
                return;
            }
            if (type != PacketType.DGRAM) throw new MalformedPacketException(type + " in a QUIC DATAGRAM");
            Sealed.validate(packet);
        } catch (MalformedPacketException e) {
            stats.inc("acip.dgram.dropped.malformed");
            packet.release();
            return;
        }
        StreamLeg from = link.leg(Header.label(packet));
        if (from == null || from.finished || from.peer == null || from.peer.finished) {
            stats.inc("acip.dgram.dropped.unknown_label");
            packet.release();
            return;
        }
        from.touch();
        from.peer.touch();
        TransitTap t = transitTap;
        if (t != null && from.peer instanceof StreamLeg) {
            t.onTransit(packet, from.peer::transmitDatagram);
        } else {
            from.peer.transmitDatagram(packet);
        }
    }

    /** A DGRAM a relay handed over from another loop. Takes ownership. */
    void onRelayedDatagram(LoopRelay.End from, ByteBuf packet) {
        Leg to = from.peer;
        if (from.finished || to == null || to.finished) {
            packet.release();
            return;
        }
        from.touch();
        to.touch();
        TransitTap t = transitTap;
        if (t != null && to instanceof StreamLeg && from.linkBehind()) {
            t.onTransit(packet, to::transmitDatagram);
        } else {
            to.transmitDatagram(packet);
        }
    }

    /**
     * Sees every packet this node moves between two link legs (transit, through a relay or not), once, on the loop of
     * the leg it leaves by, and may replace it. Null in production; tests use it to check a transit node sees only
     * ciphertext and to tamper with or replay packets.
     */
    interface TransitTap {
        /** Called with each packet; passes on what should be sent instead (the packet, a changed one, or more). */
        void onTransit(ByteBuf packet, java.util.function.Consumer<ByteBuf> send);
    }

    volatile TransitTap transitTap;

    /** Sees, and may replace, every SETUP this node sends on a link. Null in production; tests play hostile nodes. */
    volatile java.util.function.UnaryOperator<Setup> setupTap;

    /** Moves a packet from one leg to its peer. Takes ownership. */
    void forward(Leg from, ByteBuf packet) {
        from.touch();
        Leg to = from.peer;
        if (to == null || to.finished) {
            packet.release();
            return;
        }
        to.touch();
        boolean wasWritable = to.isWritable();
        TransitTap t = transitTap;
        if (t != null && to instanceof StreamLeg
                && (from instanceof StreamLeg || from instanceof LoopRelay.End e && e.linkBehind())) {
            t.onTransit(packet, to::transmit);
        } else {
            to.transmit(packet);
        }
        if (wasWritable && !to.finished && !to.isWritable()) to.writabilityChanged(false);
    }

    /** A responder's CLOSE: sent toward the initiator, ending the session and its leg here. */
    void finish(Session responder, ByteBuf close) {
        forwardTerminal(responder, close);
    }

    /**
     * CLOSE or RESET: passes it on and ends both legs. A session endpoint ends itself when it reaches the packet,
     * which may wait behind data its application has not read yet; ending it here would drop that data.
     */
    private void forwardTerminal(Leg from, ByteBuf packet) {
        Leg to = from.peer;
        terminate(from);
        if (to != null && !to.finished) {
            to.transmit(packet);
            if (!(to instanceof Session)) terminate(to);
        } else {
            packet.release();
        }
    }

    /**
     * A SETUP_ACK that a relay handed over: it already carries this node, so it goes on as it is (the initiator on this
     * node completes its handshake with it). Takes ownership of {@code packet}.
     */
    private void relaySetupAck(Leg to, SetupAck ack, ByteBuf packet) {
        answered(to, "established");
        if (to instanceof Session initiator) {
            packet.release();
            completeInitiator(initiator, ack);
        } else if (!to.finished) {
            to.transmit(packet);
        } else {
            packet.release();
        }
    }

    /** A SETUP_ACK leaves {@code from} toward its peer with this node on its trajectory. */
    void passSetupAck(Leg from, SetupAck ack) {
        Leg to = from.peer;
        if (to != null) answered(to, "established");
        SetupAck onward = ack.forwarded(0, nodeId());
        if (to instanceof Session initiator) {
            completeInitiator(initiator, onward);
        } else if (to != null && !to.finished) {
            to.transmit(onward.encode(alloc()));
        }
    }

    private void completeInitiator(Session s, SetupAck ack) {
        if (s.state != Session.State.SETTING_UP) return;
        try {
            SessionHandshake.Completion done = s.handshake.complete(s.setupSent, ack, config.fabricCa(),
                    config.resumptionLifetime());
            SessionKeys keys = done.keys();
            if (done.ticket() != null) initiatorTickets.put(ticketKey(s.request), done.ticket());
            stats.inc(s.handshake.ticket() != null ? "acip.session.resumed" : "acip.session.full_handshake");
            timings.sessionSetup(System.nanoTime() - s.openedAskedNanos, s.handshake.ticket() != null);
            List<String> path = new ArrayList<>(ack.metadata().trajectory());
            Collections.reverse(path);
            stats.inc("acip.session.opened");
            s.setupAck = ack.metadata();
            s.opened(keys.sender(true), keys.receiver(true), List.copyOf(new LinkedHashSet<>(path)),
                    ack.metadata().string(TlvType.SELECTED_INSTANCE).orElse(""));
            s.setUpDone(); // an open session keeps neither its SETUP nor its handshake
            s.announce();
        } catch (SessionAuthenticationException e) {
            stats.inc("acip.session.auth_failed");
            abort(s, ResetCode.AUTHENTICATION_FAILED, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- ending sessions

    /** A peer broke the protocol on {@code leg}: reset it and its peer. */
    void protocolViolation(Leg leg, String detail) {
        stats.inc("acip.packet.malformed");
        LOG.fine(() -> "protocol violation on " + leg.describe() + ": " + detail);
        abort(leg, ResetCode.PROTOCOL_VIOLATION, "node " + nodeId() + ": " + detail);
    }

    /** Ends the session {@code leg} belongs to: RESET out of both legs (and to local applications). */
    void abort(Leg leg, ResetCode code, String detail) {
        if (leg.finished) return;
        Leg other = leg.peer;
        router.settleAttempt(leg, false);
        if (other != null) router.settleAttempt(other, false);
        refuse(leg, code, detail);
        if (other != null && !other.finished) refuse(other, code, detail);
    }

    /** Sends RESET out of {@code leg} (to the peer node, or to the local application) and ends it. */
    void refuse(Leg leg, ResetCode code, String detail) {
        if (leg.finished) return;
        if (!(leg instanceof LoopRelay.End)) stats.inc(NodeStats.resetSent(code)); // a relay's RESET stays inside
        answered(leg, code.token());
        if (leg.pending != null) leg.pending.cancelTimer();
        if (leg instanceof Session s) {
            if (s.state != Session.State.DONE && s.handler != null) {
                if (retryWithoutTicket(s, code)) return;
                s.state = Session.State.DONE;
                terminate(s);
                s.handler.onReset(s, code, detail);
                return;
            }
        } else {
            leg.transmit(new Reset(0, code, detail).encode(alloc()));
        }
        terminate(leg);
    }

    /** The SETUP that arrived on {@code leg} was answered: tell whoever traces SETUPs, once. */
    private void answered(Leg leg, String outcome) {
        Leg.TracedSetup t = leg.traced;
        if (t == null) return;
        leg.traced = null;
        timings.setupAnswered(t.skill(), t.traceparent(), System.nanoTime() - t.arrivedNanos(), outcome);
    }

    /** Forgets {@code leg}: its label, its stream, its timers. */
    void terminate(Leg leg) {
        if (leg.finished) return;
        leg.finished = true;
        if (leg.pending != null) {
            leg.pending.cancelTimer();
            leg.pending = null;
        }
        if (sessions.get(leg.loop).remove(leg)) sessionCount.decrementAndGet();
        leg.release();
    }

    /** Ends the sessions of {@code on} (this loop) that were idle too long. */
    private void sweepIdle(EventLoop on) {
        long limit = config.idleTimeout().toNanos();
        long now = System.nanoTime();
        for (Leg leg : new ArrayList<>(sessions.get(on))) {
            long last = leg.peer == null ? leg.lastActivityNanos : Math.max(leg.lastActivityNanos, leg.peer.lastActivityNanos);
            if (!leg.finished && now - last > limit) {
                stats.inc("acip.session.idle_timeout");
                abort(leg, ResetCode.TIMEOUT, "idle for " + config.idleTimeout().toMillis() + " ms at node " + nodeId());
            }
        }
    }

    // ---------------------------------------------------------------- links

    void linkUp(Link link) {
        Link old = links.put(link.peerNodeId, link);
        linkUps.incrementAndGet();
        stats.inc("acip.link.up");
        List<CompletableFuture<Void>> waiting;
        synchronized (linkWaiters) {
            waiting = linkWaiters.remove(link.peerNodeId);
        }
        if (waiting != null) waiting.forEach(w -> w.complete(null));
        if (link.dialer) ControlStream.open(this, link);
        LOG.info(() -> "node " + nodeId() + ": link to " + link.peerNodeId + " up" + (old != null ? " (replaces one)" : ""));
    }

    void linkDown(Link link) {
        links.remove(link.peerNodeId, link);
        stats.inc("acip.link.down");
        if (link.control != null) link.control.linkDown();
        for (StreamLeg leg : link.legs()) router.legFailed(leg, "link went down");
    }

    /** A SETUP opened a new stream on {@code link}. Takes ownership of the packet. */
    void onIncomingSetup(Link link, StreamLeg leg, ByteBuf packet) {
        Setup setup;
        try {
            PacketType type = Header.validate(packet);
            if (type != PacketType.SETUP) throw new MalformedPacketException("stream opened with " + type);
            setup = Setup.decode(packet);
        } catch (MalformedPacketException e) {
            protocolViolation(leg, e.getMessage());
            return;
        } finally {
            packet.release();
        }
        stats.inc("acip.setup.received");
        if (timings.tracesSetups()) {
            leg.traced = new Leg.TracedSetup(setup.responder().value(),
                    setup.metadata().string(TlvType.TRACEPARENT).orElse(null), System.nanoTime());
        }
        router.route(leg, setup);
    }

    /** Closes every link (peers learn at once, by QUIC CONNECTION_CLOSE) and stops the node. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            loop.submit(() -> {
                control.close();
                for (Link l : new ArrayList<>(links.values())) l.quic.close();
            }).syncUninterruptibly();
            linkEndpoints.close();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
