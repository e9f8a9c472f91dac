package io.acip.node;

import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.AttributeKey;
import java.util.HashMap;
import java.util.Map;

/**
 * A QUIC connection to a neighbour node, with the labels allocated on it (docs/acip-v0.md §2.3). The side that
 * dialled allocates labels with the top bit set, the side that accepted with it clear, so both allocate without
 * coordination; labels are handed out in increasing order and reused only after the 31-bit space wraps, so a late
 * packet for a finished session cannot land in a new one. Confined to the event loop the link was accepted or
 * dialled on.
 */
final class Link {
    static final AttributeKey<Link> KEY = AttributeKey.valueOf("acip.link");
    private static final int DIALER_BIT = 0x8000_0000;

    final QuicChannel quic;
    final String peerNodeId;
    final boolean dialer;
    private final Map<Integer, StreamLeg> legs = new HashMap<>();
    private int nextLabel = 1;
    /** Largest QUIC DATAGRAM payload the peer accepts; 0 until the peer's transport parameters say. */
    int maxDatagram;
    /** The link's control channel (docs/acip-v0.md §12.1), null while it has none. */
    ControlStream control;
    /** Latest measured round trip in ms, -1 until a PING was answered. */
    volatile long rttMs = -1;

    Link(QuicChannel quic, String peerNodeId, boolean dialer) {
        this.quic = quic;
        this.peerNodeId = peerNodeId;
        this.dialer = dialer;
    }

    /** A fresh label of this side, or 0 (never a session label) when every one tried is in use. */
    int allocateLabel() {
        for (int tries = 0; tries < 1 << 20; tries++) {
            int label = (dialer ? DIALER_BIT : 0) | nextLabel;
            nextLabel = nextLabel == 0x7fff_ffff ? 1 : nextLabel + 1;
            if (!legs.containsKey(label)) return label;
        }
        return 0;
    }

    /** Whether this side allocated {@code label}; a peer's SETUP must carry one of the peer's. */
    boolean allocatedHere(int label) {
        return ((label & DIALER_BIT) != 0) == dialer;
    }

    boolean inUse(int label) {
        return legs.containsKey(label);
    }

    void bind(StreamLeg leg) {
        legs.put(leg.label, leg);
    }

    void unbind(StreamLeg leg) {
        legs.remove(leg.label, leg);
    }

    StreamLeg leg(int label) {
        return legs.get(label);
    }

    Iterable<StreamLeg> legs() {
        return new java.util.ArrayList<>(legs.values());
    }

    boolean isActive() {
        return quic.isActive();
    }

    @Override
    public String toString() {
        return "link to " + peerNodeId;
    }
}
