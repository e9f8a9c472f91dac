package io.acip.capsule.bhttp;

/**
 * Bounds a {@link BinaryHttpDecoder} holds a peer to, so that nothing it sends makes the decoder hold more than a
 * field section's worth of memory (RFC 9292 §8).
 *
 * @param maxFieldSectionSize largest field section, counted as HTTP/2 counts a header list (RFC 9113 §6.5.2): name
 *                            plus value plus 32 octets per line, so that a flood of tiny lines is bounded too; the
 *                            request control data counts against the header section the same way
 * @param maxFieldLineSize    largest single field line, name plus value; also bounds each control-data string
 */
public record BinaryHttpLimits(int maxFieldSectionSize, int maxFieldLineSize) {
    /** 64 KiB per section, 16 KiB per line: above what browsers and common servers send. */
    public static final BinaryHttpLimits DEFAULT = new BinaryHttpLimits(64 * 1024, 16 * 1024);

    /** Per-line overhead charged against {@link #maxFieldSectionSize}, as in RFC 9113 §6.5.2. */
    static final int LINE_OVERHEAD = 32;

    public BinaryHttpLimits {
        if (maxFieldSectionSize <= 0 || maxFieldLineSize <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
