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
 */
public final class RouteTable {
    private final Map<Long, Map<String, Route>> byTenant = new ConcurrentHashMap<>();

    /** Adds {@code hop} to the route for {@code prefix}, creating it. */
    public synchronized void add(long tenant, SkillName prefix, NextHop hop) {
        Map<String, Route> routes = byTenant.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
        Route old = routes.get(prefix.value());
        List<NextHop> hops = new ArrayList<>(old == null ? List.of() : old.hops());
        hops.removeIf(h -> h.id().equals(hop.id()));
        hops.add(hop);
        routes.put(prefix.value(), new Route(prefix, hops));
    }

    /** Removes the hop with {@code hopId} from the route for {@code prefix}; the route goes when empty. */
    public synchronized void remove(long tenant, SkillName prefix, String hopId) {
        Map<String, Route> routes = byTenant.get(tenant);
        if (routes == null) return;
        Route old = routes.get(prefix.value());
        if (old == null) return;
        List<NextHop> hops = new ArrayList<>(old.hops());
        hops.removeIf(h -> h.id().equals(hopId));
        if (hops.isEmpty()) {
            routes.remove(prefix.value());
        } else {
            routes.put(prefix.value(), new Route(prefix, hops));
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

    /** Every route of every tenant, for the admin API and docs. */
    public Map<Long, List<Route>> snapshot() {
        Map<Long, List<Route>> out = new HashMap<>();
        byTenant.forEach((t, routes) -> out.put(t, List.copyOf(routes.values())));
        return out;
    }
}
