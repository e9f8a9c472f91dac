package io.acip.control;

import io.acip.wire.SkillName;
import java.util.List;
import java.util.Set;

/**
 * An import or export filter at a border (docs/acip-v0.md §12.4): a route passes unless its tenant or prefix is
 * denied, and, when allow lists are given, only if its tenant and prefix are on them. A prefix matches a list entry
 * it is under ({@code bank-a} covers {@code bank-a/payments}).
 */
public record RouteFilter(List<SkillName> allowPrefixes, List<SkillName> denyPrefixes, Set<Long> allowTenants,
                          Set<Long> denyTenants) {
    public static final RouteFilter ALL = new RouteFilter(List.of(), List.of(), Set.of(), Set.of());

    public RouteFilter {
        allowPrefixes = List.copyOf(allowPrefixes);
        denyPrefixes = List.copyOf(denyPrefixes);
        allowTenants = Set.copyOf(allowTenants);
        denyTenants = Set.copyOf(denyTenants);
    }

    public boolean admits(RouteKey key) {
        if (denyTenants.contains(key.tenant())) return false;
        if (!allowTenants.isEmpty() && !allowTenants.contains(key.tenant())) return false;
        if (denyPrefixes.stream().anyMatch(key.prefix()::isUnder)) return false;
        return allowPrefixes.isEmpty() || allowPrefixes.stream().anyMatch(key.prefix()::isUnder);
    }
}
