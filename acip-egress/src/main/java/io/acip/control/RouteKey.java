package io.acip.control;

import io.acip.wire.SkillName;

/** What a route is for: a skill prefix in a tenant (docs/acip-v0.md §12.3). Also a withdrawal's whole content. */
public record RouteKey(long tenant, SkillName prefix) implements Comparable<RouteKey> {
    @Override
    public int compareTo(RouteKey o) {
        int t = Long.compare(tenant, o.tenant);
        return t != 0 ? t : prefix.value().compareTo(o.prefix.value());
    }

    @Override
    public String toString() {
        return prefix.value() + " (tenant " + tenant + ")";
    }
}
