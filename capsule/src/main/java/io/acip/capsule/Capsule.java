package io.acip.capsule;

import java.nio.ByteBuffer;

/**
 * One capsule (RFC 9297 §3.2): a type and a value. Encoding is split into {@link #writeHeader} and the value so a
 * caller that already holds the value in a buffer of its own can send header and value without copying the value.
 */
public record Capsule(long type, ByteBuffer value) {

    /** Bytes taken by the type and length fields of a capsule with a {@code valueLength}-byte value. */
    public static int headerLength(long type, long valueLength) {
        return VarInt.length(type) + VarInt.length(valueLength);
    }

    /** Writes the type and length fields; the caller writes the value next. */
    public static void writeHeader(ByteBuffer dst, long type, long valueLength) {
        VarInt.write(dst, type);
        VarInt.write(dst, valueLength);
    }

    /** A DATAGRAM capsule (RFC 9297 §3.5) carrying one HTTP Datagram payload. */
    public static Capsule datagram(DatagramPayload payload) {
        ByteBuffer value = ByteBuffer.allocate(payload.encodedLength());
        payload.writeTo(value);
        return new Capsule(CapsuleType.DATAGRAM, value.flip());
    }

    /**
     * Writes a DATAGRAM capsule for context {@code contextId} straight into {@code dst}: header, context ID, then the
     * payload's remaining bytes (the payload's position is not moved). The hot path of CONNECT-UDP over HTTP/1.1 and
     * HTTP/2, so it allocates nothing.
     */
    public static void writeDatagram(ByteBuffer dst, long contextId, ByteBuffer payload) {
        int valueLength = VarInt.length(contextId) + payload.remaining();
        writeHeader(dst, CapsuleType.DATAGRAM, valueLength);
        VarInt.write(dst, contextId);
        dst.put(payload.duplicate());
    }

    /** Bytes {@link #writeDatagram} writes. */
    public static int datagramLength(long contextId, int payloadLength) {
        int valueLength = VarInt.length(contextId) + payloadLength;
        return headerLength(CapsuleType.DATAGRAM, valueLength) + valueLength;
    }

    public int encodedLength() {
        return headerLength(type, value.remaining()) + value.remaining();
    }

    /** Writes header and value; the value's position is not moved. */
    public void writeTo(ByteBuffer dst) {
        writeHeader(dst, type, value.remaining());
        dst.put(value.duplicate());
    }

    public ByteBuffer encode() {
        ByteBuffer out = ByteBuffer.allocate(encodedLength());
        writeTo(out);
        return out.flip();
    }
}
