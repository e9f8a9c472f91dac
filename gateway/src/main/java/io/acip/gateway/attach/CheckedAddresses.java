package io.acip.gateway.attach;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The addresses each host of a run-time registration resolved to when {@code admin.attach_allowed} checked them. The
 * gateway connects to these (HTTP, byte tunnels, UDP), never to a later lookup's: a name could answer an allowed
 * address for the check and an inward one for the connection (DNS rebinding). Agents from the configuration file
 * have none: their names are resolved per connection.
 */
public record CheckedAddresses(Map<String, List<InetAddress>> byHost) {
    public static final CheckedAddresses NONE = new CheckedAddresses(Map.of());

    public CheckedAddresses {
        Map<String, List<InetAddress>> copy = new HashMap<>();
        byHost.forEach((h, a) -> copy.put(bare(h), List.copyOf(a)));
        byHost = Map.copyOf(copy);
    }

    /** What {@code host} (a name or IP literal, IPv6 with or without brackets) was checked as; empty when unchecked. */
    public List<InetAddress> of(String host) {
        return byHost.getOrDefault(bare(host), List.of());
    }

    /** {@code endpoint} aimed at the first checked address of its host, or as it is when its host is unchecked. */
    public UdpEndpoint pin(UdpEndpoint endpoint) {
        List<InetAddress> a = of(endpoint.host());
        return a.isEmpty() ? endpoint : new UdpEndpoint(a.get(0).getHostAddress(), endpoint.port());
    }

    public static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
