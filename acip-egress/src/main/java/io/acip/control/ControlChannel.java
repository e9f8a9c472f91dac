package io.acip.control;

import io.netty.buffer.ByteBuf;

/** The stream a control channel rides (docs/acip-v0.md §12.1), as the node's link layer provides it. */
public interface ControlChannel {
    /** The neighbour's node ID, from its link certificate. */
    String peerNodeId();

    /** Whether this node dialled the link: the dialler sends OPEN first. */
    boolean dialler();

    /** Node ID of the side that dialled the link, for collision resolution. */
    default String diallerNodeId(String self) {
        return dialler() ? self : peerNodeId();
    }

    /** Sends one packet (framed as on every stream). Takes ownership. */
    void send(ByteBuf packet);

    /** Ends our side with a FIN after what was sent, then the stream. */
    void finish();
}
