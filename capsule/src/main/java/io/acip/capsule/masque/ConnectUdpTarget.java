package io.acip.capsule.masque;

import io.acip.capsule.CodecException;
import java.util.Objects;

/**
 * The UDP target of a CONNECT-UDP request (RFC 9298 §3): a host, what kind of host it is, and a port in 1..65535.
 * Hosts are canonical (lowercase; IPv6 in RFC 5952 form, without brackets), so policy can compare them as strings;
 * a {@link HostKind#DNS_NAME} still has to be resolved, which RFC 9298 §3.1 requires before the proxy replies.
 */
public record ConnectUdpTarget(String host, HostKind hostKind, int port) implements ConnectUdpMatch {
    /** How {@code target_host} names the target. */
    public enum HostKind {
        DNS_NAME, IPV4, IPV6
    }

    /** Checks the host is in canonical form and of the kind given, and the port in range. */
    public ConnectUdpTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(hostKind, "hostKind");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range 1..65535: " + port);
        TargetHost parsed;
        try {
            parsed = TargetHost.parse(host);
        } catch (CodecException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        if (!parsed.canonical().equals(host) || parsed.kind() != hostKind) {
            throw new IllegalArgumentException(
                    "not a canonical " + hostKind + ": " + host + "; use ConnectUdpTarget.of");
        }
    }

    /**
     * A target from a host as an application spells it: a DNS name, a dotted IPv4 address or an IPv6 address
     * without brackets or zone.
     *
     * @throws IllegalArgumentException when the host or port is not one RFC 9298 §3 allows
     */
    public static ConnectUdpTarget of(String host, int port) {
        try {
            TargetHost parsed = TargetHost.parse(host);
            return new ConnectUdpTarget(parsed.canonical(), parsed.kind(), port);
        } catch (CodecException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** {@code host:port}, with the IPv6 address in brackets (RFC 3986 §3.2.2), for logs and socket APIs. */
    public String authority() {
        return (hostKind == HostKind.IPV6 ? "[" + host + "]" : host) + ":" + port;
    }
}
