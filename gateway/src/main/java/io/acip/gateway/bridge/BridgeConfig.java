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
 */
public record BridgeConfig(String proxyName, Duration firstByteTimeout, int maxBufferedBytes, BinaryHttpLimits limits) {
    public static BridgeConfig defaults(String proxyName) {
        return new BridgeConfig(proxyName, Duration.ofSeconds(60), 256 * 1024, HeaderLimits.DEFAULT.binaryHttp());
    }
}
