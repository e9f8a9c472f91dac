package io.acip.node;

import io.acip.routing.NextHop;
import io.acip.routing.SessionPolicy;
import io.acip.wire.Setup;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A SETUP this node is routing: what remains to try, what was tried, and the current attempt's timer. */
final class PendingSetup {
    /** The SETUP as routed; the initiator's node replaces it with the attested one when it first leaves (§7.6). */
    Setup setup;
    /** The initiator as verified for local delivery, once checked: null before. */
    java.util.Optional<io.acip.seal.AttestedInitiator> attested;
    final SessionPolicy policy;
    final Iterator<NextHop> candidates;
    final List<String> failures = new ArrayList<>();
    /** The refusal an instance or node gave for the SETUP itself, if any (policy, protocol, unavailable). */
    private io.acip.wire.ResetCode answered;
    /** Whether some next hop could not take the SETUP at all (link down, silent, full, circuit open). */
    private boolean hopDown;
    NextHop current;
    ScheduledFuture<?> attemptTimer;
    long attemptStartNanos;
    /** Whether the current attempt holds its next hop's circuit breaker permit (and so reports to the breaker). */
    boolean permit;
    /** The first neighbour skipped because its circuit was open: tried anyway when nothing else is left. */
    NextHop.Neighbour openCircuit;
    boolean panicked;
    /**
     * Handed over by another loop's router (a {@link LoopRelay}): one candidate, already chosen there, whose circuit
     * breaker that router holds; a failure goes back there with its own code, and the failover happens there.
     */
    final boolean relayed;
    private io.acip.wire.ResetCode last = io.acip.wire.ResetCode.DESTINATION_UNAVAILABLE;

    PendingSetup(Setup setup, SessionPolicy policy, Iterator<NextHop> candidates) {
        this(setup, policy, candidates, false);
    }

    private PendingSetup(Setup setup, SessionPolicy policy, Iterator<NextHop> candidates, boolean relayed) {
        this.setup = setup;
        this.policy = policy;
        this.candidates = candidates;
        this.relayed = relayed;
    }

    static PendingSetup relayed(Setup setup, SessionPolicy policy, NextHop hop) {
        return new PendingSetup(setup, policy, List.of(hop).iterator(), true);
    }

    /** The code of the latest failure. */
    io.acip.wire.ResetCode lastFailure() {
        return last;
    }

    /**
     * Notes a failed candidate. A refusal of the SETUP itself is remembered (a destination that is unavailable wins
     * over the rest: it is what the agent must hear); a transport failure (the codes that fail over) marks a next hop
     * down; {@code skill_unreachable} is a next hop that knows no route.
     */
    void failed(io.acip.wire.ResetCode code, String detail) {
        failures.add(detail);
        last = code;
        if (code == io.acip.wire.ResetCode.SKILL_UNREACHABLE) return;
        if (code == io.acip.wire.ResetCode.DESTINATION_UNAVAILABLE
                || answered != io.acip.wire.ResetCode.DESTINATION_UNAVAILABLE && !SetupRouter.failsOver(code)) {
            answered = code;
        } else if (SetupRouter.failsOver(code)) {
            hopDown = true;
        }
    }

    /** A next hop skipped without an attempt (its circuit is open): down as far as this SETUP is concerned. */
    void skipped(String detail) {
        failures.add(detail);
        last = io.acip.wire.ResetCode.DESTINATION_UNAVAILABLE;
        hopDown = true;
    }

    /**
     * The code the initiator gets when no candidate works: the refusal an instance or node gave for the SETUP, else
     * {@code destination_unavailable} when a next hop of the route was down (the route stands; the destination may
     * come back), else {@code skill_unreachable} (every next hop said it knows no route).
     */
    io.acip.wire.ResetCode refusal() {
        if (answered != null) return answered;
        return hopDown ? io.acip.wire.ResetCode.DESTINATION_UNAVAILABLE : io.acip.wire.ResetCode.SKILL_UNREACHABLE;
    }

    void cancelTimer() {
        if (attemptTimer != null) {
            attemptTimer.cancel(false);
            attemptTimer = null;
        }
    }
}
