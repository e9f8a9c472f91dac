package io.acip.capsule.bhttp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads a string of a length already known, which may arrive split across buffers. The caller checks the length
 * against its bounds before {@link #start}, so nothing here allocates more than a bound allows.
 */
final class ByteStringReader {
    private byte[] bytes;
    private int length;
    private int filled;

    void start(int length) {
        this.length = length;
        this.filled = 0;
        this.bytes = null;
    }

    /** The string, one char per byte (ISO-8859-1), or null while bytes are still missing. */
    String read(ByteBuffer in) {
        if (bytes == null && in.remaining() >= length && in.hasArray()) {
            // The whole string is here: decode it in place rather than gathering it first.
            String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.ISO_8859_1);
            in.position(in.position() + length);
            return s;
        }
        if (bytes == null) bytes = new byte[length];
        int n = Math.min(length - filled, in.remaining());
        in.get(bytes, filled, n);
        filled += n;
        if (filled < length) return null;
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        bytes = null;
        return s;
    }
}
