package io.acip.node;

import io.acip.wire.ResetCode;
import io.netty.buffer.ByteBuf;

/**
 * What an application gets from a {@link Session}. Every call comes on the node's event loop and must not block.
 * Buffers passed in are valid during the call only; retain them to keep them.
 */
public interface SessionHandler {
    /** The session is established: for an initiator, the responder accepted and proved the skill. */
    default void onOpen(Session session) {
    }

    /** Plaintext from the peer, in order; {@code fin} marks the last of this direction. */
    default void onData(Session session, ByteBuf data, boolean fin) {
    }

    /** One datagram from the peer (datagram-mode sessions). */
    default void onDatagram(Session session, ByteBuf payload) {
    }

    /** The session ended abnormally; no other call follows. */
    void onReset(Session session, ResetCode code, String detail);

    /** Both directions finished; no other call follows. */
    default void onClose(Session session) {
    }

    /** Writing should pause ({@code false}) or may resume ({@code true}). */
    default void onWritabilityChanged(Session session, boolean writable) {
    }

    /**
     * TLVs a responder's handler adds to its SETUP_ACK, after the handshake's (such as EXCHANGES, docs/acip-v0.md
     * §13.1); asked once, right after {@link LocalSkill#accept}.
     */
    default java.util.List<io.acip.wire.Tlv> setupAckMetadata() {
        return java.util.List.of();
    }
}
