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
    final Setup setup;
    final SessionPolicy policy;
    final Iterator<NextHop> candidates;
    final List<String> failures = new ArrayList<>();
    /** The code the initiator gets if no candidate works: that of the most telling failure so far. */
    io.acip.wire.ResetCode refusal = io.acip.wire.ResetCode.SKILL_UNREACHABLE;
    NextHop current;
    ScheduledFuture<?> attemptTimer;
    long attemptStartNanos;

    PendingSetup(Setup setup, SessionPolicy policy, Iterator<NextHop> candidates) {
        this.setup = setup;
        this.policy = policy;
        this.candidates = candidates;
    }

    void failed(io.acip.wire.ResetCode code, String detail) {
        failures.add(detail);
        if (code == io.acip.wire.ResetCode.DESTINATION_UNAVAILABLE || code == io.acip.wire.ResetCode.HOP_LIMIT_EXCEEDED
                && refusal != io.acip.wire.ResetCode.DESTINATION_UNAVAILABLE) {
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
