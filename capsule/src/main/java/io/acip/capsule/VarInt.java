package io.acip.capsule;

import java.nio.ByteBuffer;

/**
 * QUIC variable-length integers (RFC 9000 §16): the two high bits of the first byte give the length (1, 2, 4 or 8
 * bytes), the rest is the value in network byte order. Writers always use the shortest form; readers accept any.
 */
public final class VarInt {
    /** Largest encodable value, 2^62 - 1. */
    public static final long MAX = (1L << 62) - 1;

    /** Returned by {@link #tryRead} when the buffer does not yet hold the whole integer. */
    public static final long INCOMPLETE = -1;

    private VarInt() {
    }

    /** Bytes the shortest encoding of {@code value} takes. */
    public static int length(long value) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("varint out of range: " + value);
        }
        if (value < 1L << 6) return 1;
        if (value < 1L << 14) return 2;
        if (value < 1L << 30) return 4;
        return 8;
    }

    /** Bytes the integer starting with {@code firstByte} takes on the wire. */
    public static int encodedLength(byte firstByte) {
        return 1 << ((firstByte & 0xff) >>> 6);
    }

    /** Writes the shortest encoding at the buffer's position. */
    public static void write(ByteBuffer dst, long value) {
        switch (length(value)) {
            case 1 -> dst.put((byte) value);
            case 2 -> dst.putShort((short) (value | 0x4000));
            case 4 -> dst.putInt((int) (value | 0x8000_0000L));
            default -> dst.putLong(value | 0xC000_0000_0000_0000L);
        }
    }

    /** Writes the shortest encoding at {@code offset} of {@code dst}; returns the offset after it. */
    public static int write(byte[] dst, int offset, long value) {
        int len = length(value);
        long tagged = value | ((long) Integer.numberOfTrailingZeros(len) << (len * 8 - 2));
        for (int i = len - 1; i >= 0; i--) {
            dst[offset + i] = (byte) tagged;
            tagged >>>= 8;
        }
        return offset + len;
    }

    /**
     * Reads an integer at the buffer's position and advances past it, or returns {@link #INCOMPLETE} and leaves the
     * position alone when fewer bytes remain than the integer needs.
     */
    public static long tryRead(ByteBuffer src) {
        if (!src.hasRemaining()) return INCOMPLETE;
        int pos = src.position();
        int len = encodedLength(src.get(pos));
        if (src.remaining() < len) return INCOMPLETE;
        long v = switch (len) {
            case 1 -> src.get(pos) & 0x3f;
            case 2 -> src.getShort(pos) & 0x3fff;
            case 4 -> src.getInt(pos) & 0x3fff_ffffL;
            default -> src.getLong(pos) & MAX;
        };
        src.position(pos + len);
        return v;
    }

    /** Reads an integer that must be complete in {@code src}. */
    public static long read(ByteBuffer src) throws CodecException {
        long v = tryRead(src);
        if (v == INCOMPLETE) {
            throw new CodecException("truncated varint");
        }
        return v;
    }
}
