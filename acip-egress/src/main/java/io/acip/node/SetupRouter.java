package io.acip.node;

import io.acip.routing.InstanceSelector;
import io.acip.routing.NextHop;
import io.acip.routing.Route;
import io.acip.routing.SessionPolicy;
import io.acip.seal.SessionAuthenticationException;
import io.acip.seal.SessionKeys;
import io.acip.wire.Limits;
import io.acip.wire.MalformedPacketException;
import io.acip.wire.Metadata;
import io.acip.wire.Reset;
import io.acip.wire.ResetCode;
import io.acip.wire.Setup;
import io.acip.wire.SetupAck;
import io.acip.wire.Tlv;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where a SETUP goes (docs/acip-v0.md §6.1, §6.2): checks, the route, the candidates in policy order, and the attempts,
 * one at a time, failing over on a dead link, an open circuit breaker, a timeout or a RESET that says another instance
 * may do; a local candidate is answered here. One per node; each SETUP is routed on the loop of the leg it came in
 * on, and an attempt whose next hop lives on another loop goes on there through a {@link LoopRelay}.
 */
final class SetupRouter {
    private static final Logger LOG = Logger.getLogger(SetupRouter.class.getName());

    private final Node node;
    private final Map<String, LocalInstance> locals = new ConcurrentHashMap<>();
    private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(10)
            .minimumNumberOfCalls(3)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(5))
            .permittedNumberOfCallsInHalfOpenState(1)
            .build());

    SetupRouter(Node node) {
        this.node = node;
    }

    void attach(LocalInstance instance) {
        locals.put(instance.instanceId(), instance);
    }

    void detach(String instanceId) {
        locals.remove(instanceId);
    }

    private String nodeId() {
        return node.nodeId();
    }

    /** Routes a SETUP that entered through {@code upstream} (a link stream, or an initiator on this node). */
    void route(Leg upstream, Setup setup) {
        LOG.fine(() -> "node " + nodeId() + ": SETUP for " + setup.responder() + " from " + upstream.describe()
                + " hop limit " + setup.hopLimit() + " trajectory " + setup.metadata().trajectory());
        if (node.draining() && !(upstream instanceof Session)) {
            node.stats.inc("acip.setup.refused_draining");
            node.refuse(upstream, ResetCode.NO_CAPACITY, "node " + nodeId() + " is draining");
            return;
        }
        if (!node.track(upstream)) {
            node.refuse(upstream, ResetCode.NO_CAPACITY, "node " + nodeId() + " carries " + node.sessionCount()
                    + " sessions");
            return;
        }
        List<String> trajectory = setup.metadata().trajectory();
        if (trajectory.contains(nodeId()) || trajectory.size() >= Limits.MAX_TRAJECTORY) {
            node.refuse(upstream, ResetCode.HOP_LIMIT_EXCEEDED, "loop: node " + nodeId() + " already on " + trajectory);
            return;
        }
        long unknown = setup.metadata().unknownMustUnderstand();
        if (unknown >= 0) {
            node.refuse(upstream, ResetCode.UNSUPPORTED_TLV, "node " + nodeId() + " does not understand TLV 0x"
                    + Long.toHexString(unknown));
            return;
        }
        SessionPolicy policy;
        try {
            policy = SessionPolicy.from(setup.metadata());
        } catch (MalformedPacketException e) {
            node.refuse(upstream, ResetCode.PROTOCOL_VIOLATION, e.getMessage());
            return;
        }
        Route route = node.routeTable().lookup(policy.tenant(), setup.responder()).orElse(null);
        if (route == null) {
            node.refuse(upstream, ResetCode.SKILL_UNREACHABLE, "no route to " + setup.responder() + " in tenant "
                    + policy.tenant() + " at node " + nodeId());
            return;
        }
        List<NextHop> candidates = InstanceSelector.candidates(route, policy, this::latencyMs);
        if (candidates.isEmpty()) {
            node.refuse(upstream, ResetCode.POLICY_DENIED, "node " + nodeId() + ": none of the " + route.hops().size()
                    + " instances of " + route.prefix() + " satisfies " + policy);
            return;
        }
        upstream.pending = new PendingSetup(setup, policy, candidates.iterator());
        tryNext(upstream);
    }

    private long latencyMs(NextHop hop) {
        return hop instanceof NextHop.Neighbour n ? node.rttMs(n.nodeId()) : 0;
    }

    /** Tries the next candidate of a pending SETUP, or refuses it when none is left. */
    private void tryNext(Leg upstream) {
        PendingSetup p = upstream.pending;
        while (p.candidates.hasNext()) {
            NextHop hop = p.candidates.next();
            p.current = hop;
            p.permit = false; // set once a breaker permit is held for this hop
            if (attempt(upstream, p, hop, p.relayed) || upstream.finished) return;
            if (p.relayed) break;
            node.stats.inc("acip.setup.failover");
        }
        if (p.relayed) { // the loop that handed this attempt over hears how it failed, and fails over there
            upstream.pending = null;
            node.refuse(upstream, p.lastFailure(), String.join("; ", p.failures));
            return;
        }
        // Every candidate failed, some only because their circuit is open: rather than refusing everything until a
        // breaker half-opens (for a skill behind one neighbour, a blackout of the whole open period after a burst
        // of timeouts), try the first of those anyway, once, without reporting to its breaker (Envoy's panic mode).
        if (p.openCircuit != null && !p.panicked) {
            p.panicked = true;
            p.current = p.openCircuit;
            p.permit = false;
            node.stats.inc("acip.setup.breaker_panic");
            if (attempt(upstream, p, p.openCircuit, true) || upstream.finished) return;
        }
        upstream.pending = null;
        node.refuse(upstream, p.refusal(), "node " + nodeId() + ": no next hop for " + p.setup.responder() + " answered: "
                + String.join("; ", p.failures));
    }

    /**
     * Tries one candidate: here, or on the loop its next hop lives on (a neighbour's link, or, for a stream session's
     * SETUP from a link, the next loop in turn for a local instance, so the work of serving sessions spreads over the
     * cores). False (with the failure noted) when it could not start. {@code panic} ignores an open circuit breaker.
     */
    private boolean attempt(Leg upstream, PendingSetup p, NextHop hop, boolean panic) {
        if (hop instanceof NextHop.Neighbour n) {
            // The origin does not spend a hop; every forwarder does (docs/acip-v0.md §6.2).
            if (p.setup.hopLimit() <= 1 && !upstream.localInitiator()) {
                p.failed(ResetCode.HOP_LIMIT_EXCEEDED, "hop limit exceeded before " + n.nodeId());
                return false;
            }
            Link link = node.link(n.nodeId());
            if (link == null) {
                p.failed(ResetCode.LINK_DOWN, n.nodeId() + " link down");
                return false;
            }
            if (!panic) {
                if (!breakers.circuitBreaker(n.nodeId()).tryAcquirePermission()) {
                    node.stats.inc("acip.setup.breaker_open");
                    if (p.openCircuit == null) p.openCircuit = n;
                    p.skipped(n.nodeId() + " circuit open");
                    return false;
                }
                p.permit = true;
            }
            p.setup = SetupAttestation.leaving(node, upstream, p.setup, p.policy.tenant());
            return link.quic.eventLoop() == upstream.loop ? forward(upstream, p, n, link)
                    : relay(upstream, p, hop, link.quic.eventLoop());
        }
        // A datagram session's work is per packet: a relay would cost more than spreading it gains.
        EventLoop target = p.relayed || upstream.localInitiator() || p.setup.datagramMode() ? upstream.loop
                : node.nextLoop();
        return target == upstream.loop ? deliver(upstream, p, (NextHop.Local) hop) : relay(upstream, p, hop, target);
    }

    /**
     * Hands the attempt at {@code hop} to {@code target}'s loop: {@code upstream} is paired with a relay whose far end
     * takes the SETUP there; its SETUP_ACK or RESET comes back through the relay like a neighbour's.
     */
    private boolean relay(Leg upstream, PendingSetup p, NextHop hop, EventLoop target) {
        LoopRelay r = new LoopRelay(node, upstream.loop, target, upstream.localInitiator());
        Leg.pair(upstream, r.near);
        PendingSetup onward = PendingSetup.relayed(p.setup, p.policy, hop);
        p.attemptStartNanos = System.nanoTime();
        node.stats.inc("acip.setup.relayed");
        if (!r.near.handOver(() -> {
            if (r.far.finished) return;
            r.far.pending = onward;
            tryNext(r.far);
        })) {
            upstream.peer = null;
            p.failed(ResetCode.NO_CAPACITY, "node " + nodeId() + " is shutting down");
            return false;
        }
        return true;
    }

    /** Sends the SETUP on over {@code link}, on this loop; false (with the failure noted) when it cannot. */
    private boolean forward(Leg upstream, PendingSetup p, NextHop.Neighbour hop, Link link) {
        int label = link.allocateLabel();
        if (label == 0) {
            if (p.permit) breakers.circuitBreaker(hop.nodeId()).releasePermission();
            p.permit = false;
            p.failed(ResetCode.NO_CAPACITY, hop.nodeId() + " out of labels");
            return false;
        }
        StreamLeg out = new StreamLeg(link, label, node.stats);
        link.bind(out);
        Leg.pair(upstream, out);
        Setup onward = p.setup.forwarded(label, nodeId(), upstream.localInitiator() ? 0 : 1);
        java.util.function.UnaryOperator<Setup> tap = node.setupTap;
        if (tap != null) onward = tap.apply(onward);
        out.transmit(onward.encode(node.alloc()));
        node.openStream(out);
        long start = System.nanoTime();
        p.attemptTimer = upstream.loop.schedule(() -> {
            node.stats.inc("acip.setup.attempt_timeout");
            attemptFailed(upstream, out, ResetCode.TIMEOUT, hop.nodeId() + " silent for "
                    + node.config.attemptTimeout().toMillis() + " ms", true);
        }, node.config.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS);
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
        try {
            if (p.attested == null) p.attested = SetupAttestation.arriving(node, upstream, setup, p.policy.tenant());
        } catch (SessionAuthenticationException e) { // another instance would see the same SETUP: no failover
            node.stats.inc("acip.attestation.refused");
            upstream.pending = null;
            node.refuse(upstream, ResetCode.AUTHENTICATION_FAILED, "node " + nodeId() + ": " + e.getMessage());
            return false;
        }
        List<String> trajectory = new ArrayList<>(setup.metadata().trajectory());
        if (upstream.localInitiator()) trajectory.add(nodeId()); // initiator and responder on this node
        Session responder = new Session(node, upstream.loop, false, setup.datagramMode(), setup.responder(), null);
        SessionHandshake.Response response;
        try {
            response = SessionHandshake.respond(setup, instance.identity(), instance.instanceId(), node::heldTicket,
                    node.config.resumptionLifetime(), node.random());
            trajectory.add(nodeId());
            responder.handler = instance.skill().accept(new IncomingSession(setup.responder(), setup.initiator(),
                    setup.datagramMode(), p.policy, setup.metadata(), List.copyOf(new LinkedHashSet<>(trajectory)),
                    instance.instanceId(), p.attested));
        } catch (SessionAuthenticationException e) {
            upstream.pending = null;
            node.refuse(upstream, ResetCode.AUTHENTICATION_FAILED, e.getMessage());
            return false;
        } catch (SessionRefusedException e) {
            if (e.code == ResetCode.RESUMPTION_REFUSED) { // answered: the initiator retries, no other instance is tried
                node.stats.inc("acip.session.resumption_refused");
                upstream.pending = null;
                node.refuse(upstream, e.code, e.getMessage());
                return true;
            }
            node.stats.inc("acip.session.refused");
            p.failed(e.code, "instance " + hop.instanceId() + " refused: " + e.getMessage());
            return false;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "local skill " + setup.responder() + " failed to accept", e);
            p.failed(ResetCode.DESTINATION_UNAVAILABLE, "instance " + hop.instanceId() + " failed: " + e);
            return false;
        }
        if (response.issued() != null) node.holdTicket(response.issued());
        node.stats.inc("acip.session.delivered");
        node.track(responder);
        Leg.pair(upstream, responder);
        upstream.pending = null;
        SessionKeys keys = response.keys();
        responder.opened(keys.sender(false), keys.receiver(false), List.copyOf(new LinkedHashSet<>(trajectory)),
                instance.instanceId());
        // SETUP_ACK first: a responder may write from onOpen, and nothing may overtake the SETUP_ACK.
        Metadata ack = response.ackMetadata();
        for (Tlv t : responder.handler.setupAckMetadata()) ack = ack.with(t);
        node.passSetupAck(responder, new SetupAck(0, ack));
        responder.announce();
        return true;
    }

    /**
     * Ends the pending SETUP of {@code upstream} without failing over: its timer stops and the next hop's breaker
     * hears the outcome (an answer is a success; an abort returns the permit unused), so a half-open breaker is never
     * left waiting for a call that will not report.
     */
    void settleAttempt(Leg upstream, boolean answered) {
        PendingSetup p = upstream.pending;
        if (p == null) return;
        p.cancelTimer();
        upstream.pending = null;
        if (p.current instanceof NextHop.Neighbour n && p.permit) {
            p.permit = false;
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
    void attemptFailed(Leg upstream, Leg attempt, ResetCode code, String detail, boolean attemptAlive) {
        PendingSetup p = upstream.pending;
        if (p == null || upstream.peer != attempt) return;
        p.cancelTimer();
        if (p.current instanceof NextHop.Neighbour n && p.permit) {
            p.permit = false;
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
            attempt.transmit(new Reset(0, ResetCode.CANCELLED, "failing over").encode(node.alloc()));
        }
        node.terminate(attempt);
        p.failed(code, detail);
        if (!p.relayed) node.stats.inc("acip.setup.failover"); // counted where the failover happens
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
            node.abort(leg, ResetCode.LINK_DOWN, "link " + nodeId() + "-" + leg.link.peerNodeId + ": " + why);
        }
    }

    /** RESET codes after which a SETUP tries its next candidate rather than giving up. */
    static boolean failsOver(ResetCode code) {
        return switch (code) {
            case SKILL_UNREACHABLE, NO_CAPACITY, LINK_DOWN, TIMEOUT, DESTINATION_UNAVAILABLE -> true;
            default -> false;
        };
    }
}
