package io.acip.gateway.bridge;

import java.time.Duration;

/**
 * How HTTP exchanges share sessions (docs/acip-v0.md §13; {@code node.session_pool}).
 *
 * @param enabled an edge offers, and a far gateway accepts, sessions that carry a sequence of exchanges
 * @param idleTimeout how long an edge keeps an idle session (never more than half the responder's idle timeout)
 * @param responderIdleTimeout how long a far gateway keeps a session open between exchanges, as it announces
 * @param maxIdlePerKey idle sessions an edge keeps per pool key (skill, identity, policy): at least the exchanges
 *     one key has in flight at its peaks, or sessions are ended and opened again as load ebbs and flows
 * @param maxIdle idle sessions an edge keeps in all
 * @param maxExchanges exchanges one session carries before the edge ends it
 * @param maxAge how long one session carries exchanges before the edge ends it, so that new sessions re-spread load
 */
public record PoolSettings(boolean enabled, Duration idleTimeout, Duration responderIdleTimeout, int maxIdlePerKey,
                           int maxIdle, int maxExchanges, Duration maxAge) {
    public static final PoolSettings DEFAULT = new PoolSettings(true, Duration.ofSeconds(30), Duration.ofSeconds(60),
            256, 4096, 10_000, Duration.ofMinutes(2));
    /** One session per exchange, as before §13. */
    public static final PoolSettings OFF = new PoolSettings(false, DEFAULT.idleTimeout, DEFAULT.responderIdleTimeout,
            0, 0, 1, DEFAULT.maxAge);

    public PoolSettings {
        if (responderIdleTimeout.compareTo(io.acip.wire.Exchanges.MIN_IDLE) < 0) {
            throw new IllegalArgumentException("responder idle timeout under " + io.acip.wire.Exchanges.MIN_IDLE);
        }
    }
}
