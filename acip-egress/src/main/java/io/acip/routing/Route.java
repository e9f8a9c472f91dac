package io.acip.routing;

import io.acip.wire.SkillName;
import java.util.List;

/** A skill prefix and the next hops that serve it. */
public record Route(SkillName prefix, List<NextHop> hops) {
    public Route {
        if (hops.isEmpty()) throw new IllegalArgumentException("route " + prefix + " has no next hop");
        hops = List.copyOf(hops);
    }
}
