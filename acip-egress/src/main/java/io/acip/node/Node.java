package io.acip.node;

import io.acip.routing.InstanceSelector;
import io.acip.routing.NextHop;
import io.acip.routing.Route;
import io.acip.routing.RouteTable;
import io.acip.routing.SessionPolicy;
import io.acip.seal.SessionAuthenticationException;
import io.acip.seal.SessionKeys;
import io.acip.wire.Header;
import io.acip.wire.Limits;
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
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An ACIP node: initiator, transit router and responder in one (docs/acip-v0.md §6). It routes each SETUP by skill
 * to a neighbour link or a local instance, pairs the session's legs, and from then on moves packets between them by
 * label alone. All session state lives on one event loop, so none of it is locked.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Node.class.getName());

    final NodeConfig config;
    final NodeStats stats = new NodeStats();
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final SecureRandom random = new SecureRandom();
    private final RouteTable routes = new RouteTable();
    private final Map<String, LocalInstance> locals = new ConcurrentHashMap<>();
    private final Map<String, Link> links = new HashMap<>();
    private final Map<String, List<CompletableFuture<Void>>> linkWaiters = new HashMap<>();
    private final Set<Leg> sessions = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final CircuitBreakerRegistry breakers;
    private final LinkEndpoints linkEndpoints;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Node(NodeConfig config) {
        this.config = config;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.loop = group.next();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(3)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
        this.linkEndpoints = new LinkEndpoints(this);
    }

    /** Starts a node: binds its link listener (if any), dials its neighbours, and returns once listening. */
    public static Node start(NodeConfig config) throws InterruptedException {
        Node node = new Node(config);
        try {
            node.linkEndpoints.start();
        } catch (RuntimeException | InterruptedException e) {
            node.close();
            throw e;
        }
        long sweepMs = Math.max(100, Math.min(1000, config.idleTimeout().toMillis() / 4));
        node.loop.scheduleAtFixedRate(node::sweepIdle, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
        return node;
    }

    public String nodeId() {
        return config.nodeId();
    }

    /** The UDP address links are accepted on (with the port chosen, if 0 was configured). */
    public InetSocketAddress linkAddress() {
        return linkEndpoints.boundAddress();
    }

    public NodeStats stats() {
        return stats;
    }

    public RouteTable routes() {
        return routes;
    }

    /** Routes {@code prefix} (in {@code tenant}) to a neighbour. */
    public void addRoute(long tenant, SkillName prefix, NextHop.Neighbour hop) {
        routes.add(tenant, prefix, hop);
    }

    /** Serves {@code skill} (in {@code tenant}) on this node through {@code instance}. */
    public void attach(long tenant, SkillName skill, LocalInstance instance) {
        locals.put(instance.instanceId(), instance);
        routes.add(tenant, skill, instance.hop());
    }

    public void detach(long tenant, SkillName skill, String instanceId) {
        routes.remove(tenant, skill, "local:" + instanceId);
        locals.remove(instanceId);
    }

    /** Completes when a link to {@code neighbour} is up (at once if one is). */
    public CompletableFuture<Void> linkReady(String neighbour) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        loop.execute(() -> {
            Link l = links.get(neighbour);
            if (l != null && l.isActive()) {
                f.complete(null);
            } else {
                linkWaiters.computeIfAbsent(neighbour, n -> new ArrayList<>()).add(f);
            }
        });
        return f;
    }

    /** One line per leg on a link: which neighbour, which label. For the admin API and tests. */
    public CompletableFuture<List<String>> linkLabels() {
        CompletableFuture<List<String>> f = new CompletableFuture<>();
        loop.execute(() -> {
            List<String> out = new ArrayList<>();
            for (Link l : links.values()) {
                for (StreamLeg leg : l.legs()) {
                    if (!leg.finished) out.add(l.peerNodeId + " 0x" + Integer.toHexString(leg.label));
                }
            }
            f.complete(out);
        });
        return f;
    }

    /** Neighbours with an active link, for health and metrics. */
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
        SessionHandshake hs = SessionHandshake.generate(random);
        Session s = new Session(this, true, request.datagramMode(), request.skill(), hs, handler);
        List<Tlv> tlvs = new ArrayList<>(request.metadata());
        tlvs.add(hs.keyShareTlv());
        Setup setup = new Setup(0, request.hopLimit(), request.datagramMode(), request.skill(), request.initiator(),
                new Metadata(tlvs));
        s.setupSent = setup;
        loop.execute(() -> {
            stats.inc("acip.session.initiated");
            s.lastActivityNanos = System.nanoTime();
            loop.schedule(() -> {
                if (s.state == Session.State.SETTING_UP) {
                    abort(s, ResetCode.TIMEOUT, "no SETUP_ACK within " + config.setupTimeout().toMillis() + " ms");
                }
            }, config.setupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            route(s, setup);
        });
        return s;
    }

    EventLoop loop() {
        return loop;
    }

    ByteBufAllocator alloc() {
        return ByteBufAllocator.DEFAULT;
    }

    // ---------------------------------------------------------------- routing a SETUP

    /** Routes a SETUP that entered through {@code upstream} (a link stream, or an initiator on this node). */
    void route(Leg upstream, Setup setup) {
        LOG.fine(() -> "node " + nodeId() + ": SETUP for " + setup.responder() + " from " + upstream.describe()
                + " hop limit " + setup.hopLimit() + " trajectory " + setup.metadata().trajectory());
        if (sessions.size() >= config.maxSessions()) {
            refuse(upstream, ResetCode.NO_CAPACITY, "node " + nodeId() + " carries " + sessions.size() + " sessions");
            return;
        }
        sessions.add(upstream);
        List<String> trajectory = setup.metadata().trajectory();
        if (trajectory.contains(nodeId()) || trajectory.size() >= Limits.MAX_TRAJECTORY) {
            refuse(upstream, ResetCode.HOP_LIMIT_EXCEEDED, "loop: node " + nodeId() + " already on " + trajectory);
            return;
        }
        long unknown = setup.metadata().unknownMustUnderstand();
        if (unknown >= 0) {
            refuse(upstream, ResetCode.UNSUPPORTED_TLV, "node " + nodeId() + " does not understand TLV 0x"
                    + Long.toHexString(unknown));
            return;
        }
        SessionPolicy policy;
        try {
            policy = SessionPolicy.from(setup.metadata());
        } catch (MalformedPacketException e) {
            refuse(upstream, ResetCode.PROTOCOL_VIOLATION, e.getMessage());
            return;
        }
        Route route = routes.lookup(policy.tenant(), setup.responder()).orElse(null);
        if (route == null) {
            refuse(upstream, ResetCode.SKILL_UNREACHABLE, "no route to " + setup.responder() + " in tenant "
                    + policy.tenant() + " at node " + nodeId());
            return;
        }
        List<NextHop> candidates = InstanceSelector.candidates(route, policy, this::latencyMs);
        if (candidates.isEmpty()) {
            refuse(upstream, ResetCode.POLICY_DENIED, "node " + nodeId() + ": none of the " + route.hops().size()
                    + " instances of " + route.prefix() + " satisfies " + policy);
            return;
        }
        upstream.pending = new PendingSetup(setup, policy, candidates.iterator());
        tryNext(upstream);
    }

    private long latencyMs(NextHop hop) {
        if (hop instanceof NextHop.Neighbour n) {
            Link l = links.get(n.nodeId());
            return l == null ? -1 : l.rttMs;
        }
        return 0;
    }

    /** Tries the next candidate of a pending SETUP, or refuses it when none is left. */
    private void tryNext(Leg upstream) {
        PendingSetup p = upstream.pending;
        while (p.candidates.hasNext()) {
            NextHop hop = p.candidates.next();
            p.current = hop;
            p.attemptStartNanos = 0; // set once a breaker permit is held for this hop
            boolean started = hop instanceof NextHop.Neighbour n ? forward(upstream, p, n) : deliver(upstream, p,
                    (NextHop.Local) hop);
            if (started || upstream.finished) return;
            stats.inc("acip.setup.failover");
        }
        upstream.pending = null;
        refuse(upstream, p.refusal, "node " + nodeId() + ": no next hop for " + p.setup.responder() + " answered: "
                + String.join("; ", p.failures));
    }

    /** Sends the SETUP on toward a neighbour; false (with the failure noted) when it cannot. */
    private boolean forward(Leg upstream, PendingSetup p, NextHop.Neighbour hop) {
        // The origin does not spend a hop; every forwarder does (docs/acip-v0.md §6.2).
        if (p.setup.hopLimit() <= 1 && !(upstream instanceof Session)) {
            p.failed(ResetCode.HOP_LIMIT_EXCEEDED, "hop limit exceeded before " + hop.nodeId());
            return false;
        }
        Link link = links.get(hop.nodeId());
        if (link == null || !link.isActive()) {
            p.failed(ResetCode.LINK_DOWN, hop.nodeId() + " link down");
            return false;
        }
        CircuitBreaker breaker = breakers.circuitBreaker(hop.nodeId());
        if (!breaker.tryAcquirePermission()) {
            stats.inc("acip.setup.breaker_open");
            p.failed(ResetCode.SKILL_UNREACHABLE, hop.nodeId() + " circuit open");
            return false;
        }
        int label = link.allocateLabel();
        if (label == 0) {
            breaker.releasePermission();
            p.failed(ResetCode.NO_CAPACITY, hop.nodeId() + " out of labels");
            return false;
        }
        StreamLeg out = new StreamLeg(link, label, stats);
        link.bind(out);
        pair(upstream, out);
        Setup onward = p.setup.forwarded(label, nodeId(), upstream instanceof Session ? 0 : 1);
        out.transmit(onward.encode(alloc()));
        linkEndpoints.openStream(out);
        long start = System.nanoTime();
        p.attemptTimer = loop.schedule(() -> {
            stats.inc("acip.setup.attempt_timeout");
            attemptFailed(upstream, out, ResetCode.TIMEOUT, hop.nodeId() + " silent for "
                    + config.attemptTimeout().toMillis() + " ms", true);
        }, config.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS);
        p.attemptStartNanos = start;
        return true;
    }

    /** Hands the SETUP to a local instance; false (with the failure noted) when it cannot. */
    private boolean deliver(Leg upstream, PendingSetup p, NextHop.Local hop) {
        LocalInstance instance = locals.get(hop.instanceId());
        if (instance == null) {
            p.failed(ResetCode.SKILL_UNREACHABLE, "instance " + hop.instanceId() + " detached");
            return false;
        }
        Setup setup = p.setup;
        List<String> trajectory = new ArrayList<>(setup.metadata().trajectory());
        if (upstream instanceof Session) trajectory.add(nodeId()); // initiator and responder on this node
        SessionHandshake hs = SessionHandshake.generate(random);
        Session responder = new Session(this, false, setup.datagramMode(), setup.responder(), hs, null);
        SessionHandshake.Response response;
        try {
            response = hs.respond(setup, instance.identity(), instance.instanceId());
            trajectory.add(nodeId());
            responder.handler = instance.skill().accept(new IncomingSession(setup.responder(), setup.initiator(),
                    setup.datagramMode(), p.policy, setup.metadata(), List.copyOf(new LinkedHashSet<>(trajectory)),
                    instance.instanceId()));
        } catch (SessionAuthenticationException e) {
            upstream.pending = null;
            refuse(upstream, ResetCode.AUTHENTICATION_FAILED, e.getMessage());
            return false;
        } catch (SessionRefusedException e) {
            stats.inc("acip.session.refused");
            p.failed(e.code, "instance " + hop.instanceId() + " refused: " + e.getMessage());
            return false;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "local skill " + setup.responder() + " failed to accept", e);
            p.failed(ResetCode.DESTINATION_UNAVAILABLE, "instance " + hop.instanceId() + " failed: " + e);
            return false;
        }
        stats.inc("acip.session.delivered");
        sessions.add(responder);
        pair(upstream, responder);
        upstream.pending = null;
        SessionKeys keys = response.keys();
        responder.opened(keys.sender(false), keys.receiver(false), List.copyOf(new LinkedHashSet<>(trajectory)),
                instance.instanceId());
        // SETUP_ACK first: a responder may write from onOpen, and nothing may overtake the SETUP_ACK.
        passSetupAck(responder, new SetupAck(0, response.ackMetadata()));
        responder.announce();
        return true;
    }

    /**
     * Ends the pending SETUP of {@code upstream} without failing over: its timer stops and the next hop's breaker
     * hears the outcome (an answer is a success; an abort returns the permit unused), so a half-open breaker is never
     * left waiting for a call that will not report.
     */
    private void settleAttempt(Leg upstream, boolean answered) {
        PendingSetup p = upstream.pending;
        if (p == null) return;
        p.cancelTimer();
        upstream.pending = null;
        if (p.current instanceof NextHop.Neighbour n && p.attemptStartNanos != 0) {
            CircuitBreaker b = breakers.circuitBreaker(n.nodeId());
            if (answered) {
                b.onSuccess(System.nanoTime() - p.attemptStartNanos, TimeUnit.NANOSECONDS);
            } else {
                b.releasePermission();
            }
        }
    }

    /**
     * The current attempt of {@code upstream}'s SETUP failed: fail over to the next candidate. A RESET cancels the
     * attempt downstream only when it may still be alive there (a timeout); a leg that was reset or lost is just
     * forgotten, never answered.
     */
    private void attemptFailed(Leg upstream, Leg attempt, ResetCode code, String detail, boolean attemptAlive) {
        PendingSetup p = upstream.pending;
        if (p == null || upstream.peer != attempt) return;
        p.cancelTimer();
        if (p.current instanceof NextHop.Neighbour n) {
            CircuitBreaker b = breakers.circuitBreaker(n.nodeId());
            if (code == ResetCode.SKILL_UNREACHABLE) {
                b.onSuccess(System.nanoTime() - p.attemptStartNanos, TimeUnit.NANOSECONDS); // it answered
            } else {
                b.onError(System.nanoTime() - p.attemptStartNanos, TimeUnit.NANOSECONDS,
                        new IllegalStateException(code.token()));
            }
        }
        upstream.peer = null;
        attempt.peer = null;
        if (attemptAlive && !attempt.finished) {
            attempt.transmit(new Reset(0, ResetCode.CANCELLED, "failing over").encode(alloc()));
        }
        terminate(attempt);
        p.failed(code, detail);
        stats.inc("acip.setup.failover");
        tryNext(upstream);
    }

    /**
     * A link leg broke under its session (stream refused or closed, link gone). While the SETUP that leg carried is
     * still unanswered, that is one failed attempt and the next candidate is tried; afterwards the session ends.
     */
    void legFailed(StreamLeg leg, String why) {
        if (leg.finished) return;
        Leg upstream = leg.peer;
        if (upstream != null && upstream.pending != null) {
            attemptFailed(upstream, leg, ResetCode.LINK_DOWN, leg.link.peerNodeId + ": " + why, false);
        } else {
            abort(leg, ResetCode.LINK_DOWN, "link " + nodeId() + "-" + leg.link.peerNodeId + ": " + why);
        }
    }

    private static void pair(Leg a, Leg b) {
        a.peer = b;
        b.peer = a;
    }

    // ---------------------------------------------------------------- packets between legs

    /** A packet from a link stream (any type but the SETUP that created the leg). Takes ownership. */
    void onStreamPacket(StreamLeg from, ByteBuf packet) {
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
            case SETUP, DGRAM -> {
                packet.release();
                protocolViolation(from, type + " inside an established stream");
            }
            case SETUP_ACK -> {
                SetupAck ack;
                try {
                    ack = SetupAck.decode(packet);
                } catch (MalformedPacketException e) {
                    protocolViolation(from, e.getMessage());
                    return;
                } finally {
                    packet.release();
                }
                if (!awaitingAck) {
                    protocolViolation(from, "SETUP_ACK for a session that is not being set up");
                    return;
                }
                settleAttempt(upstream, true);
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
                stats.inc("acip.reset.received." + reset.code().token());
                if (awaitingAck && failsOver(reset.code())) {
                    packet.release();
                    attemptFailed(upstream, from, reset.code(), from.link.peerNodeId + ": " + reset.detail(), false);
                    return;
                }
                if (awaitingAck) settleAttempt(upstream, true);
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

    private static boolean failsOver(ResetCode code) {
        return switch (code) {
            case SKILL_UNREACHABLE, NO_CAPACITY, LINK_DOWN, TIMEOUT, DESTINATION_UNAVAILABLE -> true;
            default -> false;
        };
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

    /**
     * Sees every packet this node moves between two link legs (transit), and may replace it. Null in production; tests
     * use it to check a transit node sees only ciphertext and to tamper with or replay packets.
     */
    interface TransitTap {
        /** Called with each packet; passes on what should be sent instead (the packet, a changed one, or more). */
        void onTransit(ByteBuf packet, java.util.function.Consumer<ByteBuf> send);
    }

    volatile TransitTap transitTap;

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
        if (t != null && from instanceof StreamLeg && to instanceof StreamLeg) {
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

    /** A SETUP_ACK leaves {@code from} toward its peer with this node on its trajectory. */
    private void passSetupAck(Leg from, SetupAck ack) {
        Leg to = from.peer;
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
            SessionKeys keys = s.handshake.complete(s.setupSent, ack, config.fabricCa());
            List<String> path = new ArrayList<>(ack.metadata().trajectory());
            Collections.reverse(path);
            stats.inc("acip.session.opened");
            s.opened(keys.sender(true), keys.receiver(true), List.copyOf(new LinkedHashSet<>(path)),
                    ack.metadata().string(TlvType.SELECTED_INSTANCE).orElse(""));
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
        settleAttempt(leg, false);
        if (other != null) settleAttempt(other, false);
        refuse(leg, code, detail);
        if (other != null && !other.finished) refuse(other, code, detail);
    }

    /** Sends RESET out of {@code leg} (to the peer node, or to the local application) and ends it. */
    void refuse(Leg leg, ResetCode code, String detail) {
        if (leg.finished) return;
        stats.inc("acip.reset.sent." + code.token());
        if (leg.pending != null) leg.pending.cancelTimer();
        if (leg instanceof Session s) {
            if (s.state != Session.State.DONE && s.handler != null) {
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

    /** Forgets {@code leg}: its label, its stream, its timers. */
    void terminate(Leg leg) {
        if (leg.finished) return;
        leg.finished = true;
        if (leg.pending != null) {
            leg.pending.cancelTimer();
            leg.pending = null;
        }
        sessions.remove(leg);
        leg.release();
    }

    private void sweepIdle() {
        long limit = config.idleTimeout().toNanos();
        long now = System.nanoTime();
        for (Leg leg : new ArrayList<>(sessions)) {
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
        stats.inc("acip.link.up");
        List<CompletableFuture<Void>> waiting = linkWaiters.remove(link.peerNodeId);
        if (waiting != null) waiting.forEach(w -> w.complete(null));
        LOG.info(() -> "node " + nodeId() + ": link to " + link.peerNodeId + " up" + (old != null ? " (replaces one)" : ""));
    }

    void linkDown(Link link) {
        links.remove(link.peerNodeId, link);
        stats.inc("acip.link.down");
        for (StreamLeg leg : link.legs()) legFailed(leg, "link went down");
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
        route(leg, setup);
    }

    /** Closes every link (peers learn at once, by QUIC CONNECTION_CLOSE) and stops the node. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            loop.submit(() -> {
                for (Link l : new ArrayList<>(links.values())) l.quic.close();
            }).syncUninterruptibly();
            linkEndpoints.close();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
