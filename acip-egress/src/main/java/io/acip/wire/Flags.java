package io.acip.wire;

/** Bits of the fixed header's flags byte (docs/acip-v0.md §3.2). */
public final class Flags {
    /** Responder skill field present (SETUP only). */
    public static final int R = 0x80;
    /** Initiator identity field present (SETUP only). */
    public static final int I = 0x40;
    /** Metadata TLVs present (SETUP, SETUP_ACK, RESET). */
    public static final int M = 0x20;
    /** SETUP: the session is datagram-mode (DGRAM packets) rather than connection-mode (DATA packets). */
    public static final int DATAGRAM_MODE = 0x08;
    /** PING: this is the answer to a PING. */
    public static final int PONG = 0x02;
    /** DATA: the last packet in this direction (half-close). */
    public static final int FIN = 0x01;

    private Flags() {
    }

    /** Flags a packet of {@code type} may carry; anything else makes it malformed. */
    static int allowed(PacketType type) {
        return switch (type) {
            case SETUP -> R | I | M | DATAGRAM_MODE;
            case SETUP_ACK, RESET -> M;
            case DATA -> FIN;
            case PING -> PONG;
            case DGRAM, CLOSE, OPEN, UPDATE, NOTIFICATION -> 0;
        };
    }
}
