package io.acip.gateway.bridge;

import io.acip.capsule.bhttp.BinaryHttpLimits;
import io.acip.gateway.http.HeaderLimits;
import java.time.Duration;

/**
 * Settings of the HTTP-over-ACIP bridge.
 *
 * @param proxyName this gateway's name in {@code Via}, {@code Proxy-Status} and {@code Forwarded}
 * @param firstByteTimeout from the end of the request to the response head; then 504 http_response_timeout
 * @param maxBufferedBytes request or response bytes held per exchange before reading from the other side pauses
 * @param streamIdleTimeout longest silence once the response has begun (no content either way): a stream that keeps
 *     sending is never cut, a silent one is cut after this
 * @param pool how exchanges share sessions
 */
public record BridgeConfig(String proxyName, Duration firstByteTimeout, int maxBufferedBytes, BinaryHttpLimits limits,
                           Duration streamIdleTimeout, PoolSettings pool) {
    /** {@code http.stream_idle_timeout}'s default. */
    public static final Duration DEFAULT_STREAM_IDLE = Duration.ofMinutes(5);

    public BridgeConfig(String proxyName, Duration firstByteTimeout, int maxBufferedBytes, BinaryHttpLimits limits) {
        this(proxyName, firstByteTimeout, maxBufferedBytes, limits, DEFAULT_STREAM_IDLE, PoolSettings.DEFAULT);
    }

    public static BridgeConfig defaults(String proxyName) {
        return new BridgeConfig(proxyName, Duration.ofSeconds(60), 256 * 1024, HeaderLimits.DEFAULT.binaryHttp());
    }
}
