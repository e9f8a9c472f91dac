package io.acip.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToLongFunction;

/**
 * Orders a route's next hops into the candidates a SETUP tries, first to last (refs/003 CATS: policy first, then
 * metrics, with instance affinity). Hops the policy excludes, or whose measured latency exceeds the bound, are
 * dropped. The rest go by priority; among equal priorities, weighted rendezvous hashing on the affinity key puts
 * the same instance first for the same key for as long as it stays eligible, and spreads keys by weight. Without
 * a key each SETUP draws a fresh one, which is weighted random choice, and the hops the metrics favour
 * ({@link NextHop#tier()} 0) come first; with one, metrics do not reorder, so a keyed flow keeps its instance.
 */
public final class InstanceSelector {
    private InstanceSelector() {
    }

    /**
     * @param latencyMs a hop's measured latency in ms, or -1 when unknown (unknown never excludes)
     */
    public static List<NextHop> candidates(Route route, SessionPolicy policy, ToLongFunction<NextHop> latencyMs) {
        long key = policy.affinityKey().length > 0 ? hash64(policy.affinityKey()) : ThreadLocalRandom.current().nextLong();
        List<NextHop> eligible = new ArrayList<>();
        for (NextHop h : route.hops()) {
            if (!policy.admits(h)) continue;
            long rtt = latencyMs.applyAsLong(h);
            if (policy.maxLatencyMs() > 0 && rtt >= 0 && rtt > policy.maxLatencyMs()) continue;
            eligible.add(h);
        }
        Comparator<NextHop> order = Comparator.comparingInt(NextHop::priority);
        if (policy.affinityKey().length == 0) order = order.thenComparingInt(NextHop::tier);
        eligible.sort(order.thenComparing(Comparator.comparingDouble((NextHop h) -> score(key, h)).reversed()));
        return eligible;
    }

    /** Weighted rendezvous score (-w / ln(u)), u uniform in (0,1) from the key and the hop. */
    static double score(long key, NextHop hop) {
        long h = mix(key ^ hash64(hop.id().getBytes(StandardCharsets.UTF_8)));
        double u = ((h >>> 11) + 0.5) / (1L << 53);
        return -Math.max(hop.weight(), 1) / Math.log(u);
    }

    private static long hash64(byte[] b) {
        long h = 0xcbf29ce484222325L; // FNV-1a, then a finaliser for avalanche
        for (byte x : b) {
            h ^= x & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
