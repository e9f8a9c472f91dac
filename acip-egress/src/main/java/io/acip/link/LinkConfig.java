package io.acip.link;

import java.time.Duration;

/**
 * QUIC settings of links between nodes.
 *
 * @param maxUdpPayload largest UDP payload sent or accepted. 1700 lets a DGRAM carry a 1500-byte inner packet plus
 *     ACIP and QUIC overhead; on paths with a 1500-byte MTU set 1472 and inner packets shrink to about 1400 bytes
 * @param streamWindow per-stream flow-control window: bounds what one session buffers per hop
 * @param connectionWindow whole-link flow-control window
 * @param keepAlive interval of link PINGs (keeps NATs open, measures RTT for latency policies)
 * @param idleTimeout a link silent this long is closed and redialled
 * @param reconnectMin first redial delay; doubles per failure up to {@code reconnectMax}
 * @param socketBuffer SO_RCVBUF and SO_SNDBUF of link UDP sockets: the OS default (about 208 KiB on Linux) drops
 *     bursts, and every drop makes QUIC back off; the kernel may cap it (net.core.rmem_max)
 */
public record LinkConfig(int maxUdpPayload, long streamWindow, long connectionWindow, long maxStreams,
                         Duration keepAlive, Duration idleTimeout, Duration reconnectMin, Duration reconnectMax,
                         int socketBuffer) {
    public static final LinkConfig DEFAULT = new LinkConfig(1700, 1 << 20, 16 << 20, 100_000,
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(10), 4 << 20);
}
