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
    /** The code the initiator gets if no candidate works: that of the most telling failure so far. */
    io.acip.wire.ResetCode refusal = io.acip.wire.ResetCode.SKILL_UNREACHABLE;
    NextHop current;
    ScheduledFuture<?> attemptTimer;
    long attemptStartNanos;
    /** Whether the current attempt holds its next hop's circuit breaker permit (and so reports to the breaker). */
    boolean permit;
    /** The first neighbour skipped because its circuit was open: tried anyway when nothing else is left. */
    NextHop.Neighbour openCircuit;
    boolean panicked;

    PendingSetup(Setup setup, SessionPolicy policy, Iterator<NextHop> candidates) {
        this.setup = setup;
        this.policy = policy;
        this.candidates = candidates;
    }

    /**
     * Notes a failed candidate. When none is left, the SETUP is refused with {@code skill_unreachable} if every
     * candidate failed in transport (the codes that fail over), else with the last refusal an instance or node gave
     * for the SETUP itself (a destination that is unavailable wins over the rest: it is what the agent must hear).
     */
    void failed(io.acip.wire.ResetCode code, String detail) {
        failures.add(detail);
        if (code == io.acip.wire.ResetCode.DESTINATION_UNAVAILABLE
                || refusal != io.acip.wire.ResetCode.DESTINATION_UNAVAILABLE && !SetupRouter.failsOver(code)) {
            refusal = code;
        }
    }

    void cancelTimer() {
        if (attemptTimer != null) {
            attemptTimer.cancel(false);
            attemptTimer = null;
        }
    }
}
