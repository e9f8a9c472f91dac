package io.acip.ingress;

import java.nio.ByteBuffer;

/** Receives what the agent sends on an accepted {@link UdpFlow}. Called on the listener's I/O thread: never block. */
public interface UdpFlowListener {
    /** One UDP payload from the agent (context ID 0). The buffer is valid only during the call. */
    void onDatagram(ByteBuffer payload);

    /**
     * The flow ended from the agent's side or below: {@code cause} is null when the agent closed cleanly, a
     * {@link java.util.concurrent.TimeoutException} after the idle timeout (no datagram either way), otherwise what
     * broke it. Called at most once, and never after {@link UdpFlow#close}.
     */
    void onClose(Throwable cause);
}
