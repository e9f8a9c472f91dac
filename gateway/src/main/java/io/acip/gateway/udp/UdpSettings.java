package io.acip.gateway.udp;

import io.acip.ingress.DatagramTransport;
import io.acip.link.LinkConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * How the gateway carries UDP.
 *
 * @param nameservers DNS servers for direct targets; empty means the system's ({@code /etc/resolv.conf})
 * @param dnsTimeout how long a direct target's lookup may take before {@code 504 dns_timeout}
 * @param idleTimeout a UDP socket the gateway opened with no datagram either way this long is closed
 * @param maxDgramPayload largest UDP payload one DGRAM carries across the fabric; larger ones are dropped
 * @param transport what the relay's own loop and sockets run on ({@code udp.native_transport}, resolved)
 */
public record UdpSettings(List<InetSocketAddress> nameservers, Duration dnsTimeout, Duration idleTimeout,
                          int maxDgramPayload, DatagramTransport transport) {
    public static final Duration DEFAULT_DNS_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);

    /**
     * Bytes a QUIC short-header packet spends around a DATAGRAM frame at most: first byte, a 20-byte connection ID, a
     * 4-byte packet number, the 16-byte AEAD tag, and the frame's type and a 2-byte length (RFC 9000 §17.3, RFC 9221 §4).
     */
    static final int QUIC_DATAGRAM_OVERHEAD = 1 + 20 + 4 + 16 + 1 + 2;
    /** A sealed DGRAM's own bytes around the payload: fixed header, packet number, tag (docs/acip-v0.md §5.3). */
    static final int DGRAM_OVERHEAD = 8 + 8 + 16;

    public UdpSettings {
        nameservers = List.copyOf(nameservers);
        if (maxDgramPayload < 1) throw new IllegalArgumentException("maxDgramPayload must be positive");
        if (transport == null) throw new IllegalArgumentException("transport is required");
    }

    /** On the preferred transport (epoll where it loads). */
    public UdpSettings(List<InetSocketAddress> nameservers, Duration dnsTimeout, Duration idleTimeout,
                       int maxDgramPayload) {
        this(nameservers, dnsTimeout, idleTimeout, maxDgramPayload, DatagramTransport.preferred());
    }

    /**
     * The UDP payload a DGRAM can carry over links built with {@code link}: every node of a fabric uses the same link
     * settings, so this holds on every hop. The node API does not tell a session its path's limit.
     */
    public static int dgramPayloadLimit(LinkConfig link) {
        return link.maxUdpPayload() - QUIC_DATAGRAM_OVERHEAD - DGRAM_OVERHEAD;
    }

    public static UdpSettings defaults() {
        return new UdpSettings(List.of(), DEFAULT_DNS_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
                dgramPayloadLimit(LinkConfig.DEFAULT));
    }
}
