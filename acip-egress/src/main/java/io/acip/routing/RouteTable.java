package io.acip.routing;

import io.acip.wire.SkillName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Skill routes per tenant (instance ID, as LISP's: isolated namespaces that never see each other's routes),
 * matched by longest whole-segment prefix: {@code bank-a/payments} serves {@code bank-a/payments/authorize}
 * unless a longer prefix is registered. Lookups cost one hash probe per segment. Safe for concurrent readers and
 * writers; a route is replaced whole.
 *
 * <p>A route's hops come from two sources kept apart: configured ones (static routes, attached instances), added
 * and removed one by one, and learned ones (docs/acip-v0.md §12.4), replaced as a set by the route exchange. A
 * learned hop toward a neighbour that a configured hop of the same prefix already names is left out: static wins.
 */
public final class RouteTable {
    private final Map<Long, Map<String, Route>> byTenant = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, List<NextHop>>> configured = new HashMap<>();
    private final Map<Long, Map<String, List<NextHop>>> learned = new HashMap<>();

    /** Adds {@code hop} to the route for {@code prefix}, creating it. */
    public synchronized void add(long tenant, SkillName prefix, NextHop hop) {
        List<NextHop> hops = new ArrayList<>(hops(configured, tenant, prefix));
        hops.removeIf(h -> h.id().equals(hop.id()));
        hops.add(hop);
        put(configured, tenant, prefix, hops);
    }

    /** Removes the hop with {@code hopId} from the route for {@code prefix}; the route goes when empty. */
    public synchronized void remove(long tenant, SkillName prefix, String hopId) {
        List<NextHop> hops = new ArrayList<>(hops(configured, tenant, prefix));
        if (!hops.removeIf(h -> h.id().equals(hopId))) return;
        put(configured, tenant, prefix, hops);
    }

    /** Replaces every learned hop of {@code prefix} (empty: none left). */
    public synchronized void setLearned(long tenant, SkillName prefix, List<NextHop.Neighbour> hops) {
        put(learned, tenant, prefix, List.copyOf(hops));
    }

    /** The configured hops of exactly {@code prefix}, for views that tell them from learned ones. */
    public synchronized List<NextHop> configured(long tenant, SkillName prefix) {
        return hops(configured, tenant, prefix);
    }

    private static List<NextHop> hops(Map<Long, Map<String, List<NextHop>>> source, long tenant, SkillName prefix) {
        return source.getOrDefault(tenant, Map.of()).getOrDefault(prefix.value(), List.of());
    }

    private void put(Map<Long, Map<String, List<NextHop>>> source, long tenant, SkillName prefix, List<NextHop> hops) {
        // A tenant's maps go with its last route: a neighbour cycling through new tenants must not grow the heap.
        if (hops.isEmpty()) {
            Map<String, List<NextHop>> t = source.get(tenant);
            if (t != null && t.remove(prefix.value()) != null && t.isEmpty()) source.remove(tenant);
        } else {
            source.computeIfAbsent(tenant, x -> new HashMap<>()).put(prefix.value(), hops);
        }
        List<NextHop> merged = new ArrayList<>(hops(configured, tenant, prefix));
        for (NextHop h : hops(learned, tenant, prefix)) {
            if (merged.stream().noneMatch(c -> c.id().equals(h.id()))) merged.add(h);
        }
        if (merged.isEmpty()) {
            Map<String, Route> routes = byTenant.get(tenant);
            if (routes != null && routes.remove(prefix.value()) != null && routes.isEmpty()) byTenant.remove(tenant);
        } else {
            byTenant.computeIfAbsent(tenant, x -> new ConcurrentHashMap<>()).put(prefix.value(), new Route(prefix, merged));
        }
    }

    public Optional<Route> lookup(long tenant, SkillName skill) {
        Map<String, Route> routes = byTenant.get(tenant);
        if (routes == null) return Optional.empty();
        String name = skill.value();
        while (true) {
            Route r = routes.get(name);
            if (r != null) return Optional.of(r);
            int slash = name.lastIndexOf('/');
            if (slash < 0) return Optional.empty();
            name = name.substring(0, slash);
        }
    }

    /** Tenants any of the table's maps holds, for tests that check a tenant leaves nothing behind. */
    synchronized int tenantsHeld() {
        java.util.Set<Long> t = new java.util.HashSet<>(byTenant.keySet());
        t.addAll(configured.keySet());
        t.addAll(learned.keySet());
        return t.size();
    }

    /** Every route of every tenant, for the admin API and docs. */
    public Map<Long, List<Route>> snapshot() {
        Map<Long, List<Route>> out = new HashMap<>();
        byTenant.forEach((t, routes) -> out.put(t, List.copyOf(routes.values())));
        return out;
    }
}
