package io.acip.gateway.origin;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How to reach one HTTP origin.
 *
 * @param base absolute {@code http} or {@code https} URL; its path (if any) is the prefix every forwarded path is
 *     appended to ({@code http://10.0.0.5:8080/agent} + {@code /tasks?id=1}). No query, fragment or user info.
 * @param h2c speak HTTP/2 over cleartext with prior knowledge (RFC 9113 §3.3) instead of HTTP/1.1; {@code http}
 *     only
 * @param connectTimeout longest wait for a connection to the origin (pool queueing included)
 * @param firstByteTimeout longest wait for the response head once the request was sent in full
 * @param idleTimeout longest silence while request or response content flows (the wait for the head excepted,
 *     which {@code firstByteTimeout} bounds)
 * @param hostHeader which authority the origin sees in {@code Host} / {@code :authority}
 * @param xForwarded whether to send {@code X-Forwarded-Host} and {@code X-Forwarded-Proto} (the authority and scheme
 *     the agent used) beside RFC 7239 {@code Forwarded}, for origins that read only those
 * @param addresses where the base's host is reached, when they were checked once and must not be looked up again
 *     (run-time agents, {@code admin.attach_allowed}); empty: the host is resolved per connection
 */
public record OriginConfig(URI base, boolean h2c, Duration connectTimeout, Duration firstByteTimeout,
                           Duration idleTimeout, HostHeader hostHeader, boolean xForwarded, List<InetAddress> addresses) {

    /** The authority an origin is addressed with. */
    public enum HostHeader {
        /** The origin's own ({@code base}'s authority): what an origin behind a proxy usually expects. */
        ORIGIN,
        /** The one the agent used (e.g. {@code a2a.demo.acip}), for origins that build URLs or route by it. */
        PRESERVE
    }

    public OriginConfig {
        Objects.requireNonNull(base, "base");
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("origin must be an http or https URL: " + base);
        }
        if (base.getHost() == null) throw new IllegalArgumentException("origin has no host: " + base);
        if (base.getRawQuery() != null || base.getRawFragment() != null || base.getRawUserInfo() != null) {
            throw new IllegalArgumentException("origin must not carry a query, fragment or user info: " + base);
        }
        if (h2c && !scheme.equals("http")) {
            throw new IllegalArgumentException("h2c is cleartext HTTP/2: it needs an http origin, not " + base);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(firstByteTimeout, "firstByteTimeout");
        requirePositive(idleTimeout, "idleTimeout");
        Objects.requireNonNull(hostHeader, "hostHeader");
        if (h2c && hostHeader == HostHeader.PRESERVE) {
            // The HTTP/2 client takes :authority from the target it connects to; a Host beside it would disagree.
            throw new IllegalArgumentException("host_header preserve needs HTTP/1.1 to the origin, not h2c");
        }
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    /** The origin's own authority, no X-Forwarded fields, resolved per connection. */
    public OriginConfig(URI base, boolean h2c, Duration connectTimeout, Duration firstByteTimeout, Duration idleTimeout) {
        this(base, h2c, connectTimeout, firstByteTimeout, idleTimeout, HostHeader.ORIGIN, false, List.of());
    }

    /** HTTP/1.1 to {@code base} with 5 s to connect, 30 s to the first byte and 60 s idle. */
    public static OriginConfig of(URI base) {
        return new OriginConfig(base, false, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    public OriginConfig withH2c(boolean h2c) {
        return new OriginConfig(base, h2c, connectTimeout, firstByteTimeout, idleTimeout, hostHeader, xForwarded,
                addresses);
    }

    public OriginConfig withTimeouts(Duration connect, Duration firstByte, Duration idle) {
        return new OriginConfig(base, h2c, connect, firstByte, idle, hostHeader, xForwarded, addresses);
    }

    public OriginConfig withHostHeader(HostHeader host, boolean xForwarded) {
        return new OriginConfig(base, h2c, connectTimeout, firstByteTimeout, idleTimeout, host, xForwarded, addresses);
    }

    /** Connections go to {@code checked} (empty: resolved per connection). */
    public OriginConfig withAddresses(List<InetAddress> checked) {
        return new OriginConfig(base, h2c, connectTimeout, firstByteTimeout, idleTimeout, hostHeader, xForwarded,
                checked);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) throw new IllegalArgumentException(name + " must be positive: " + d);
    }
}
