package io.acip.wire;

/** Bounds every node enforces before allocating (docs/acip-v0.md §8). */
public final class Limits {
    /** Responder skill and initiator identity fields, bytes of UTF-8. */
    public static final int MAX_NAME = 255;
    /** All metadata TLVs of one packet together, bytes. */
    public static final int MAX_METADATA = 4096;
    public static final int MAX_TLVS = 64;
    /** Trajectory entries: a SETUP that already lists this many nodes is not forwarded further. */
    public static final int MAX_TRAJECTORY = 32;
    /** Plaintext bytes of one DATA packet. */
    public static final int MAX_DATA_PLAINTEXT = 16 * 1024;
    /** A whole packet on a stream: header, optional fields and payload. */
    public static final int MAX_PACKET = 20 * 1024;
    /** RESET detail text, bytes of UTF-8. */
    public static final int MAX_RESET_DETAIL = 512;
    /** Hop limit a SETUP starts with unless configured otherwise. */
    public static final int DEFAULT_HOP_LIMIT = 16;

    private Limits() {
    }
}
