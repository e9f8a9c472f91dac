package io.acip.control;

import io.acip.routing.NextHop;
import io.acip.routing.RouteTable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Every candidate route per (tenant, prefix) (docs/acip-v0.md §12.4): what this node originates and the latest
 * announcement of each neighbour. Orders the learned ones (shortest path, best metric, lowest neighbour ID), installs
 * them all in the route table with priorities by path length and tiers by metric, and says what to export. Confined to the node's event loop.
 */
final class Rib {
    /** A neighbour's announcement as received, and its attributes read. */
    record Learned(String neighbour, Announcement announcement, RouteAttributes attributes) {
        int pathLength() {
            return announcement.path().size();
        }
    }

    static final Comparator<Learned> ORDER = Comparator.comparingInt(Learned::pathLength)
            .thenComparingDouble(l -> MetricPreference.cost(l.attributes()))
            .thenComparing(Learned::neighbour);

    private static final class Entry {
        final Map<String, RouteAttributes> origins = new TreeMap<>();
        final Map<String, Learned> learned = new HashMap<>();

        boolean isEmpty() {
            return origins.isEmpty() && learned.isEmpty();
        }
    }

    private final String self;
    private final RouteTable table;
    private final int learnedPriority;
    private final Map<RouteKey, Entry> entries = new HashMap<>();
    private final Map<String, Set<RouteKey>> byNeighbour = new HashMap<>();
    /** The tier each learned candidate was installed with, for the hysteresis of {@link MetricPreference}. */
    private final Map<RouteKey, Map<String, Integer>> tiers = new HashMap<>();
    private final Consumer<String> counter;
    /** Encoded bytes of what each neighbour's routes hold here (key, path, attributes), for its byte budget. */
    private final Map<String, Long> bytesByNeighbour = new HashMap<>();

    Rib(String self, RouteTable table, int learnedPriority, Consumer<String> counter) {
        this.self = self;
        this.table = table;
        this.learnedPriority = learnedPriority;
        this.counter = counter;
    }

    /** This node offers {@code key} through {@code originId} (an instance, a static route). True when it changed. */
    boolean originate(RouteKey key, String originId, RouteAttributes attributes) {
        RouteAttributes old = entries.computeIfAbsent(key, k -> new Entry()).origins.put(originId, attributes);
        return !attributes.equals(old);
    }

    /** The attributes {@code originId} offers {@code key} with, or null. */
    RouteAttributes origin(RouteKey key, String originId) {
        Entry e = entries.get(key);
        return e == null ? null : e.origins.get(originId);
    }

    boolean withdrawOrigin(RouteKey key, String originId) {
        Entry e = entries.get(key);
        if (e == null || e.origins.remove(originId) == null) return false;
        if (e.isEmpty()) entries.remove(key);
        return true;
    }

    /** Keeps {@code a} as the neighbour's route for its key, replacing the one before. True when it changed. */
    boolean learn(String neighbour, Announcement a, RouteAttributes attributes) {
        Learned old = entries.computeIfAbsent(a.key(), k -> new Entry()).learned.put(neighbour,
                new Learned(neighbour, a, attributes));
        byNeighbour.computeIfAbsent(neighbour, n -> new HashSet<>()).add(a.key());
        bytesByNeighbour.merge(neighbour, Update.size(a) - (old == null ? 0L : Update.size(old.announcement())), Long::sum);
        boolean changed = old == null || !old.announcement().path().equals(a.path())
                || !sameAttributes(old.announcement(), a);
        if (changed) install(a.key());
        return changed;
    }

    boolean unlearn(String neighbour, RouteKey key) {
        Entry e = entries.get(key);
        Learned old = e == null ? null : e.learned.remove(neighbour);
        if (old == null) return false;
        bytesByNeighbour.merge(neighbour, -(long) Update.size(old.announcement()), Long::sum);
        Set<RouteKey> keys = byNeighbour.get(neighbour);
        if (keys != null) keys.remove(key);
        if (e.isEmpty()) entries.remove(key);
        install(key);
        return true;
    }

    /** Forgets everything learned from {@code neighbour}; returns the keys that changed. */
    Set<RouteKey> dropNeighbour(String neighbour) {
        Set<RouteKey> keys = byNeighbour.remove(neighbour);
        bytesByNeighbour.remove(neighbour);
        if (keys == null) return Set.of();
        for (RouteKey k : keys) {
            Entry e = entries.get(k);
            if (e == null) continue;
            e.learned.remove(neighbour);
            if (e.isEmpty()) entries.remove(k);
            install(k);
        }
        return keys;
    }

    int prefixesFrom(String neighbour) {
        Set<RouteKey> keys = byNeighbour.get(neighbour);
        return keys == null ? 0 : keys.size();
    }

    /** Encoded bytes of the routes {@code neighbour}'s announcements hold here. */
    long bytesFrom(String neighbour) {
        return bytesByNeighbour.getOrDefault(neighbour, 0L);
    }

    Set<RouteKey> keys() {
        return entries.keySet();
    }

    /**
     * What this node announces for {@code key}, itself first on the path: its own origination (local preference),
     * else the best learned route; empty when it has none.
     */
    Optional<Announcement> export(RouteKey key) {
        Entry e = entries.get(key);
        if (e == null) return Optional.empty();
        if (!e.origins.isEmpty()) {
            return Optional.of(new Announcement(key, List.of(self), aggregate(e.origins.values()).encode()));
        }
        // A path of MAX_PATH nodes cannot take this node too: its receiver would refuse the UPDATE (§12.3).
        return e.learned.values().stream().filter(l -> l.pathLength() < Update.MAX_PATH).min(ORDER)
                .map(l -> l.announcement().prepended(self));
    }

    /** The learned candidates of {@code key}, best first. */
    List<Learned> learned(RouteKey key) {
        Entry e = entries.get(key);
        if (e == null) return List.of();
        List<Learned> out = new ArrayList<>(e.learned.values());
        out.sort(ORDER);
        return out;
    }

    /** Whether this node originates {@code key}. */
    Optional<RouteAttributes> origination(RouteKey key) {
        Entry e = entries.get(key);
        return e == null || e.origins.isEmpty() ? Optional.empty() : Optional.of(aggregate(e.origins.values()));
    }

    /**
     * Puts every learned candidate of {@code key} into the route table, as a next hop toward its neighbour with the
     * region and attributes it declares: a priority per path length (shortest first), and within one, tier 0 for the
     * candidates {@link MetricPreference} prefers, whose new sessions share by weight, and tier 1 for the rest. A
     * candidate that changes tier while it stays a candidate is counted: metrics moved new sessions.
     */
    private void install(RouteKey key) {
        List<Learned> ordered = learned(key);
        Map<String, Integer> before = tiers.getOrDefault(key, Map.of());
        Map<String, Integer> now = new HashMap<>();
        List<NextHop.Neighbour> hops = new ArrayList<>(ordered.size());
        int priority = learnedPriority;
        for (int from = 0; from < ordered.size(); ) {
            int length = ordered.get(from).pathLength();
            int to = from;
            while (to < ordered.size() && ordered.get(to).pathLength() == length) to++;
            List<Learned> group = ordered.subList(from, to);
            Set<String> held = new HashSet<>();
            for (Learned l : group) if (Integer.valueOf(0).equals(before.get(l.neighbour()))) held.add(l.neighbour());
            Set<String> preferred = MetricPreference.preferred(group, held);
            for (Learned l : group) {
                int tier = preferred.contains(l.neighbour()) ? 0 : 1;
                now.put(l.neighbour(), tier);
                Integer was = before.get(l.neighbour());
                if (was != null && was != tier) counter.accept("acip.control.tier.changed");
                hops.add(new NextHop.Neighbour(l.neighbour(), priority, 1, l.attributes().region(),
                        l.attributes().instanceAttributes(), tier));
            }
            priority++;
            from = to;
        }
        if (now.isEmpty()) {
            tiers.remove(key);
        } else {
            tiers.put(key, now);
        }
        table.setLearned(key.tenant(), key.prefix(), hops);
    }

    /**
     * One route for all this node's origins of a prefix: region and attributes only where every origin agrees (so
     * no instance is hidden by the summary), the lowest load and latency, and "attached" when any instance is.
     */
    static RouteAttributes aggregate(java.util.Collection<RouteAttributes> origins) {
        long origin = RouteAttributes.ORIGIN_STATIC;
        String region = null;
        Map<String, String> attrs = null;
        long load = -1;
        long latency = -1;
        for (RouteAttributes a : origins) {
            if (a.origin() == RouteAttributes.ORIGIN_ATTACHED) origin = RouteAttributes.ORIGIN_ATTACHED;
            region = region == null ? a.region() : Objects.equals(region, a.region()) ? region : "";
            attrs = attrs == null ? a.instanceAttributes() : attrs.equals(a.instanceAttributes()) ? attrs : Map.of();
            load = a.load() < 0 ? load : load < 0 ? a.load() : Math.min(load, a.load());
            latency = a.latencyMs() < 0 ? latency : latency < 0 ? a.latencyMs() : Math.min(latency, a.latencyMs());
        }
        return new RouteAttributes(origin, region == null ? "" : region, attrs == null ? Map.of() : attrs, load, latency);
    }

    static boolean sameAttributes(Announcement a, Announcement b) {
        var x = a.attributes().tlvs();
        var y = b.attributes().tlvs();
        if (x.size() != y.size()) return false;
        for (int i = 0; i < x.size(); i++) {
            if (x.get(i).type() != y.get(i).type() || !java.util.Arrays.equals(x.get(i).value(), y.get(i).value())) {
                return false;
            }
        }
        return true;
    }
}
