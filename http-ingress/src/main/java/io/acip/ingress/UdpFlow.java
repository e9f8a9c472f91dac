package io.acip.ingress;

import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A CONNECT-UDP request (RFC 9298) whose URI template matched, on whichever HTTP version carried it: HTTP/1.1
 * Upgrade, HTTP/2 extended CONNECT (RFC 8441) or HTTP/3 extended CONNECT (RFC 9220). Stages above the listeners see
 * only this type: capsules, HTTP Datagrams, quarter stream IDs and context IDs stay below it.
 *
 * <p>The handler answers exactly once, with {@link #accept} or {@link #refuse}, on any thread and possibly later
 * (after a DNS lookup, or once an ACIP session is up). Datagrams the agent sends before the answer are held by the
 * listener (a few, bounded; the rest dropped and counted) and delivered after {@link #accept}.
 *
 * <p>Only context ID 0 (UDP payloads, RFC 9298 §4) crosses this interface: the listener drops and counts datagrams
 * with other context IDs, and skips unknown capsules.
 */
public interface UdpFlow {
    /**
     * The target as the template gave it (host percent-decoded, IPv6 without brackets; port 1-65535), the request's
     * header fields, protocol {@code connect-udp}, and the agent's address.
     */
    ConnectRequest request();

    /** The HTTP version that carries the flow: {@code HTTP/1.1}, {@code HTTP/2} or {@code HTTP/3}. */
    String httpVersion();

    /**
     * Answers the request (101 on HTTP/1.1, 200 on HTTP/2 and HTTP/3, with {@code Capsule-Protocol: ?1}); from then
     * on the agent's UDP payloads go to {@code listener}, first those held while the answer was pending.
     */
    void accept(UdpFlowListener listener);

    /** Refuses the request with the failure's status, {@code Proxy-Status} and problem document. */
    void refuse(HttpFailure failure);

    /**
     * Sends one UDP payload to the agent (context ID 0): as a QUIC DATAGRAM on HTTP/3 when the agent negotiated
     * them, otherwise as a DATAGRAM capsule on the stream. Never blocks and never fragments. Returns false when the
     * payload was dropped (too large for the path, the flow is closed, or too much is queued toward a slow agent);
     * the listener counts drops. Safe from any thread; {@code payload}'s bytes are copied or consumed before return.
     */
    boolean send(ByteBuffer payload);

    /**
     * Ends the flow from the gateway's side: cleanly (stream FIN; HTTP/1.1 connection close) when {@code cause} is
     * null, otherwise abortively (stream reset, or connection close on HTTP/1.1). Idempotent; the listener is not
     * told about a close the handler asked for.
     */
    void close(Throwable cause);

    /** Largest UDP payload {@link #send} can currently carry to this agent without dropping it. */
    int maxPayload();

    /**
     * The event loop that calls the listener, when one loop serves the flow (HTTP/3: its QUIC connection's): sockets
     * the handler registers there, and {@link #send} called there, cost no hand-off between threads. Empty when a
     * pool's threads serve it (HTTP/1.1 and HTTP/2 on Jetty).
     */
    default Optional<EventLoop> eventLoop() {
        return Optional.empty();
    }
}
