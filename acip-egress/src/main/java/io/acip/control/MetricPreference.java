package io.acip.control;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How good a learned route is by the metrics its origin announces (CATS, refs/003 §4.3; docs/acip-v0.md §12.4), and
 * the hysteresis that keeps new sessions where they go until a change is worth moving for.
 *
 * <p>The cost is the expected delay: LATENCY_MS stretched as LOAD nears capacity, as a queue's delay grows with
 * 1 / (1 - utilisation). A floor of {@link #LATENCY_FLOOR_MS} keeps sub-millisecond latencies from turning noise
 * into large ratios, and LOAD counts at most {@link #MAX_LOAD} so the cost stays finite past capacity.
 */
final class MetricPreference {
    static final long LATENCY_FLOOR_MS = 5;
    static final long MAX_LOAD = 950;
    /** A route joins the preferred set when its cost is at most this times the best one's. */
    static final double ENTER = 1.25;
    /** A preferred route leaves the set only when its cost exceeds this times the best one's. */
    static final double LEAVE = 2.0;

    private MetricPreference() {
    }

    /** The expected delay through a route, in ms; absent metrics count as 0. */
    static double cost(RouteAttributes a) {
        double latency = Math.max(0, a.latencyMs()) + LATENCY_FLOOR_MS;
        long load = Math.min(Math.max(0, a.load()), MAX_LOAD);
        return latency * 1000 / (1000 - load);
    }

    /**
     * The neighbours of {@code candidates} (routes of one path length) that new sessions should go to: those within
     * {@link #ENTER} of the best cost, and those {@code before} held that are still within {@link #LEAVE}. The best
     * is always in, so the set is empty only when there are no candidates.
     */
    static Set<String> preferred(List<Rib.Learned> candidates, Set<String> before) {
        double best = Double.MAX_VALUE;
        for (Rib.Learned l : candidates) best = Math.min(best, cost(l.attributes()));
        Set<String> out = new HashSet<>();
        for (Rib.Learned l : candidates) {
            double c = cost(l.attributes());
            if (c <= best * ENTER || before.contains(l.neighbour()) && c <= best * LEAVE) out.add(l.neighbour());
        }
        return out;
    }
}
