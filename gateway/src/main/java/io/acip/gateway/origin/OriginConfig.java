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
 * @param addresses where the base's host is reached, when they were checked once and must not be looked up again
 *     (run-time agents, {@code admin.attach_allowed}); empty: the host is resolved per connection
 */
public record OriginConfig(URI base, boolean h2c, Duration connectTimeout, Duration firstByteTimeout,
                           Duration idleTimeout, List<InetAddress> addresses) {

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
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    /** Resolved per connection. */
    public OriginConfig(URI base, boolean h2c, Duration connectTimeout, Duration firstByteTimeout, Duration idleTimeout) {
        this(base, h2c, connectTimeout, firstByteTimeout, idleTimeout, List.of());
    }

    /** HTTP/1.1 to {@code base} with 5 s to connect, 30 s to the first byte and 60 s idle. */
    public static OriginConfig of(URI base) {
        return new OriginConfig(base, false, Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    public OriginConfig withH2c(boolean h2c) {
        return new OriginConfig(base, h2c, connectTimeout, firstByteTimeout, idleTimeout, addresses);
    }

    /** Connections go to {@code checked} (empty: resolved per connection). */
    public OriginConfig withAddresses(List<InetAddress> checked) {
        return new OriginConfig(base, h2c, connectTimeout, firstByteTimeout, idleTimeout, checked);
    }

    public OriginConfig withTimeouts(Duration connect, Duration firstByte, Duration idle) {
        return new OriginConfig(base, h2c, connect, firstByte, idle, addresses);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) throw new IllegalArgumentException(name + " must be positive: " + d);
    }
}
