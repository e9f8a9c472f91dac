package io.acip.control;

import io.acip.routing.NextHop;
import io.acip.routing.Route;
import io.acip.routing.RouteTable;
import io.acip.wire.SkillName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One candidate of one route as an operator sees it: where it came from ({@code static}, {@code local} for an
 * attached instance, {@code learned}), its path and attributes, and whether it is among the best (the hops a new SETUP
 * without an affinity key tries first, before policy and affinity choose among them: first priority, metric tier 0).
 *
 * @param path node IDs toward the origin, nearest first; empty for static and local hops
 * @param load -1 when not announced
 * @param latencyMs -1 when not announced
 */
public record RouteView(long tenant, String prefix, String source, String nextHop, List<String> path, String region,
                        Map<String, String> attributes, long load, long latencyMs, int priority, boolean best,
                        boolean advertised) {

    static List<RouteView> of(RouteTable table, Rib rib) {
        TreeSet<RouteKey> keys = new TreeSet<>(rib.keys());
        table.snapshot().forEach((tenant, routes) -> routes.forEach(r -> keys.add(new RouteKey(tenant, r.prefix()))));
        List<RouteView> out = new ArrayList<>();
        for (RouteKey k : keys) {
            Route merged = table.lookup(k.tenant(), k.prefix()).filter(r -> r.prefix().equals(k.prefix())).orElse(null);
            int top = merged == null ? Integer.MAX_VALUE
                    : merged.hops().stream().mapToInt(NextHop::priority).min().orElse(Integer.MAX_VALUE);
            boolean advertised = rib.origination(k).isPresent();
            for (NextHop h : table.configured(k.tenant(), k.prefix())) {
                boolean local = h instanceof NextHop.Local;
                out.add(new RouteView(k.tenant(), k.prefix().value(), local ? "local" : "static",
                        local ? ((NextHop.Local) h).instanceId() : ((NextHop.Neighbour) h).nodeId(), List.of(),
                        h.region(), h.attributes(), -1, -1, h.priority(), h.priority() == top, advertised));
            }
            if (merged == null) continue;
            for (Rib.Learned l : rib.learned(k)) {
                NextHop installed = merged.hops().stream().filter(h -> h instanceof NextHop.Neighbour n
                        && n.nodeId().equals(l.neighbour())).findFirst().orElse(null);
                if (installed == null) continue;
                RouteAttributes a = l.attributes();
                out.add(new RouteView(k.tenant(), k.prefix().value(), "learned", l.neighbour(), l.announcement().path(),
                        a.region(), a.instanceAttributes(), a.load(), a.latencyMs(), installed.priority(),
                        installed.priority() == top && installed.tier() == 0, false));
            }
        }
        return out;
    }

    public SkillName skill() {
        return new SkillName(prefix);
    }
}
