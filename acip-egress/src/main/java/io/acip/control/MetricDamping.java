package io.acip.control;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Damps metric changes of this node's own routes (docs/acip-v0.md §12.4; CATS, refs/003 §5): an instance whose load
 * or latency flickers must not flood the fabric with UPDATEs. A change of LOAD or LATENCY_MS alone is dropped when
 * it is small (under a tenth and under {@link #MIN_STEP} units), and otherwise applied at most once per hold-down
 * per origin, the latest value going out when the hold-down ends (a small change meanwhile cancels it: the latest value
 * is then about what is announced). Any other change (region, attributes) goes at once.
 * Confined to the node's event loop.
 */
final class MetricDamping {
    static final Duration HOLD_DOWN = Duration.ofSeconds(1);
    static final long MIN_STEP = 5;

    /** What an origination does once it passes the damping. */
    interface Apply {
        void apply(RouteKey key, String originId, RouteAttributes attributes);
    }

    private record Origin(RouteKey key, String originId) {
    }

    private final EventLoop loop;
    private final long holdDownNanos;
    private final Map<Origin, Long> lastApplied = new HashMap<>();
    private final Map<Origin, RouteAttributes> pending = new HashMap<>();

    MetricDamping(EventLoop loop, Duration holdDown) {
        this.loop = loop;
        this.holdDownNanos = holdDown.toNanos();
    }

    /**
     * True when the change from {@code old} to {@code now} is held back (dropped, or deferred to the end of the
     * hold-down, then handed to {@code apply}); false when it should be applied now.
     */
    boolean holds(RouteKey key, String originId, RouteAttributes old, RouteAttributes now, Apply apply) {
        Origin o = new Origin(key, originId);
        if (old.equals(now) || !onlyMetricsDiffer(old, now)) { // back to what is announced cancels a deferred change
            pending.remove(o);
            return false;
        }
        if (!significant(old.load(), now.load()) && !significant(old.latencyMs(), now.latencyMs())) {
            pending.remove(o); // the latest value is close to what is announced: a deferred larger one is stale
            return true;
        }
        long t = System.nanoTime();
        Long last = lastApplied.get(o);
        if (last == null || t - last >= holdDownNanos) {
            lastApplied.put(o, t);
            return false;
        }
        if (pending.put(o, now) == null) {
            loop.schedule(() -> {
                RouteAttributes latest = pending.remove(o);
                if (latest == null) return;
                lastApplied.put(o, System.nanoTime());
                apply.apply(key, originId, latest);
            }, last + holdDownNanos - t, TimeUnit.NANOSECONDS);
        }
        return true;
    }

    void forget(RouteKey key, String originId) {
        Origin o = new Origin(key, originId);
        pending.remove(o);
        lastApplied.remove(o);
    }

    private static boolean onlyMetricsDiffer(RouteAttributes a, RouteAttributes b) {
        return a.origin() == b.origin() && a.region().equals(b.region())
                && a.instanceAttributes().equals(b.instanceAttributes());
    }

    /** A metric that appears, disappears, or moves by at least {@link #MIN_STEP} or by at least a tenth. */
    static boolean significant(long from, long to) {
        if (from == to) return false;
        if (from < 0 || to < 0) return true;
        long step = Math.abs(to - from);
        return step >= MIN_STEP || step * 10 >= Math.max(from, to);
    }
}
