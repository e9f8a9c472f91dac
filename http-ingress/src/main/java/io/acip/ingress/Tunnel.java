package io.acip.ingress;

import java.nio.ByteBuffer;

/**
 * A CONNECT tunnel the gateway carries itself: bytes from the agent through {@link #upstream()}, bytes to the agent
 * through {@link #downstream}. The 200 has been sent when the tunnel reaches the handler.
 */
public interface Tunnel {
    ConnectRequest request();

    /** What {@link TunnelDecision.Carry} carried. */
    Object attachment();

    /** Bytes from the agent; the last chunk marks the agent's half-close. */
    BodySource upstream();

    /** Bytes to the agent; {@code last} half-closes toward the agent. */
    void downstream(ByteBuffer data, boolean last, WriteCallback done);

    /** Tears the tunnel down (the agent sees the connection or stream reset). */
    void abort(Throwable cause);
}
