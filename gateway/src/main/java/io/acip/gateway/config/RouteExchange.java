package io.acip.gateway.config;

import io.acip.control.BorderPolicy;
import io.acip.control.ControlConfig;
import io.acip.control.Open;
import io.acip.control.RouteFilter;
import io.acip.control.Update;
import io.acip.wire.SkillName;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The route exchange settings of {@code node.control} and {@code node.neighbours[]} (docs/configuration.md), checked
 * with the path of the offending field and turned into the node's {@link ControlConfig}.
 */
public final class RouteExchange {
    private RouteExchange() {
    }

    public static ControlConfig of(GatewayConfig.Node n) throws ConfigException {
        Duration interval = Durations.parse("node.control.update_interval", n.control().updateInterval(),
                ControlConfig.DEFAULT.updateInterval());
        Duration hold = holdTime(n.control().holdTime());
        if (!hold.isZero() && hold.toMillis() < Open.MIN_HOLD_MS) {
            throw new ConfigException("node.control.hold_time: must be at least 1s, or 0 (off)");
        }
        Map<String, BorderPolicy> borders = new HashMap<>();
        for (int i = 0; i < n.neighbours().size(); i++) {
            GatewayConfig.Neighbour nb = n.neighbours().get(i);
            String p = "node.neighbours[" + i + "]";
            long maxPrefixes = nb.maxPrefixes() == null ? BorderPolicy.OPEN.maxPrefixes() : nb.maxPrefixes();
            if (maxPrefixes < 1) throw new ConfigException(p + ".max_prefixes: must be at least 1");
            int maxPath = nb.maxPathLength() == null ? Update.MAX_PATH : nb.maxPathLength();
            if (maxPath < 1 || maxPath > Update.MAX_PATH) {
                throw new ConfigException(p + ".max_path_length: must be 1.." + Update.MAX_PATH);
            }
            long maxBytes = nb.maxRouteBytes() == null ? BorderPolicy.DEFAULT_MAX_ROUTE_BYTES : nb.maxRouteBytes();
            if (maxBytes < 1) throw new ConfigException(p + ".max_route_bytes: must be at least 1");
            borders.put(nb.id(), new BorderPolicy(filter(p + ".import", nb.importFilter()),
                    filter(p + ".export", nb.exportFilter()), maxPrefixes, maxPath, maxBytes));
        }
        return new ControlConfig(interval, hold, ControlConfig.DEFAULT_LEARNED_PRIORITY, borders);
    }

    private static RouteFilter filter(String path, GatewayConfig.RouteFilter f) throws ConfigException {
        return new RouteFilter(prefixes(path + ".allow", f.allow()), prefixes(path + ".deny", f.deny()),
                tenants(path + ".tenants", f.tenants()), tenants(path + ".deny_tenants", f.denyTenants()));
    }

    private static List<SkillName> prefixes(String path, List<String> names) throws ConfigException {
        for (int i = 0; i < names.size(); i++) {
            if (!SkillName.isValid(names.get(i))) {
                throw new ConfigException(path + "[" + i + "]: '" + names.get(i) + "' is not a skill prefix");
            }
        }
        return names.stream().map(SkillName::new).toList();
    }

    private static java.util.Set<Long> tenants(String path, List<Long> tenants) throws ConfigException {
        for (int i = 0; i < tenants.size(); i++) {
            if (tenants.get(i) == null || tenants.get(i) < 0) throw new ConfigException(path + "[" + i + "]: must not be negative");
        }
        return new HashSet<>(tenants);
    }

    /** {@code hold_time}: a duration, or {@code 0} / {@code off} for no hold timer (docs/acip-v0.md §12.2). */
    private static Duration holdTime(String value) throws ConfigException {
        // YAML 1.1 reads a bare off as the boolean false.
        if (value != null && List.of("0", "off", "false").contains(value.trim())) return Duration.ZERO;
        return Durations.parse("node.control.hold_time", value, ControlConfig.DEFAULT.holdTime());
    }
}
