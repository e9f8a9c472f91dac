package io.acip.gateway.metrics;

import io.acip.ingress.HttpFailure;
import io.acip.ingress.RequestInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@link #KEPT} requests the edge refused or failed (time, status, Proxy-Status error, detail, who, what),
 * newest first, for the admin status page. A fixed ring: memory does not grow with traffic.
 */
public final class RecentRefusals {
    static final int KEPT = 50;

    /** One refusal as the status page shows it. */
    public record Refusal(Instant time, int status, String error, String detail, String identity, String method,
                          String target) {
    }

    private final Refusal[] ring = new Refusal[KEPT];
    private int next;

    public void add(RequestInfo r, HttpFailure f, String identity) {
        Refusal entry = new Refusal(Instant.now(), f.status(), f.error().token(), f.detail(), identity, r.method(),
                r.authority() + r.path());
        synchronized (this) {
            ring[next] = entry;
            next = (next + 1) % KEPT;
        }
    }

    public synchronized List<Refusal> newestFirst() {
        List<Refusal> out = new ArrayList<>(KEPT);
        for (int i = 1; i <= KEPT; i++) {
            Refusal r = ring[(next - i + KEPT) % KEPT];
            if (r != null) out.add(r);
        }
        return out;
    }
}
