package io.acip.capsule;

import java.nio.ByteBuffer;

/**
 * Incremental parser of a capsule stream (RFC 9297 §3.2): {@code Capsule { Type (i), Length (i), Value (..) }}.
 *
 * <p>Fed byte buffers with arbitrary boundaries (one byte at a time works). A capsule that arrives whole is handed
 * on as a slice of the input, without a copy; one split across feeds is assembled in a buffer allocated only once
 * its declared length is known to be within {@code maxCapsuleLength}. Values of types the listener does not want
 * are skipped without buffering, however long. Not thread-safe: one parser per stream.
 */
public final class CapsuleParser {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final int maxCapsuleLength;
    private final CapsuleListener listener;

    // Header state: the type and length varints may themselves be split across feeds.
    private final ByteBuffer headerBytes = ByteBuffer.allocate(16);
    private long type = -1;
    private long length;
    private long remaining = -1; // bytes of the current value still to come; -1 while reading a header
    private boolean wanted;
    private ByteBuffer assembly; // partial value of a wanted capsule

    public CapsuleParser(int maxCapsuleLength, CapsuleListener listener) {
        if (maxCapsuleLength < 0) throw new IllegalArgumentException("maxCapsuleLength < 0");
        this.maxCapsuleLength = maxCapsuleLength;
        this.listener = listener;
    }

    /** Consumes all of {@code src}, delivering every capsule it completes. */
    public void feed(ByteBuffer src) throws CodecException {
        while (src.hasRemaining()) {
            if (remaining < 0) {
                if (!readHeader(src)) return;
                if (remaining == 0) {
                    complete(EMPTY);
                    continue;
                }
            }
            if (!wanted) {
                int skip = (int) Math.min(remaining, src.remaining());
                src.position(src.position() + skip);
                remaining -= skip;
                if (remaining == 0) {
                    complete(null);
                }
            } else if (assembly == null && src.remaining() >= remaining) {
                int end = src.position() + (int) remaining;
                ByteBuffer value = src.slice(src.position(), (int) remaining).asReadOnlyBuffer();
                src.position(end);
                complete(value);
            } else {
                if (assembly == null) assembly = ByteBuffer.allocate((int) remaining);
                int take = (int) Math.min(remaining, src.remaining());
                assembly.put(src.slice(src.position(), take));
                src.position(src.position() + take);
                remaining -= take;
                if (remaining == 0) {
                    ByteBuffer value = assembly.flip().asReadOnlyBuffer();
                    assembly = null;
                    complete(value);
                }
            }
        }
    }

    /** Declares the end of the stream: a capsule cut short is malformed (RFC 9297 §3.3). */
    public void finish() throws CodecException {
        if (remaining >= 0 || headerBytes.position() > 0) {
            throw new CodecException("capsule truncated at end of stream");
        }
    }

    /** True when the parser sits between capsules, so the stream may end here. */
    public boolean atBoundary() {
        return remaining < 0 && headerBytes.position() == 0;
    }

    private boolean readHeader(ByteBuffer src) throws CodecException {
        // Fast path: the whole header is in src and nothing is pending.
        if (headerBytes.position() == 0) {
            int start = src.position();
            long t = VarInt.tryRead(src);
            long len = t == VarInt.INCOMPLETE ? VarInt.INCOMPLETE : VarInt.tryRead(src);
            if (len != VarInt.INCOMPLETE) {
                startValue(t, len);
                return true;
            }
            src.position(start);
        }
        // Slow path: collect header bytes one at a time until both varints are complete (at most 16 bytes).
        while (src.hasRemaining()) {
            headerBytes.put(src.get());
            ByteBuffer view = headerBytes.duplicate().flip();
            long t = VarInt.tryRead(view);
            long len = t == VarInt.INCOMPLETE ? VarInt.INCOMPLETE : VarInt.tryRead(view);
            if (len != VarInt.INCOMPLETE) {
                headerBytes.clear();
                startValue(t, len);
                return true;
            }
        }
        return false;
    }

    private void startValue(long t, long len) throws CodecException {
        type = t;
        wanted = listener.wants(t);
        if (wanted && len > maxCapsuleLength) {
            throw new CodecException("capsule type 0x" + Long.toHexString(t) + " length " + len
                    + " exceeds limit " + maxCapsuleLength);
        }
        length = len;
        remaining = len;
    }

    private void complete(ByteBuffer value) throws CodecException {
        long t = type;
        boolean w = wanted;
        resetHeader();
        if (w) {
            listener.onCapsule(t, value);
        } else {
            listener.onSkipped(t, length);
        }
    }

    private void resetHeader() {
        type = -1;
        remaining = -1;
        wanted = false;
    }
}
