package io.acip.capsule;

import java.nio.ByteBuffer;

/**
 * An HTTP Datagram payload (RFC 9297 §2.1 as used by RFC 9298 §5): a context ID then the data. Context 0 carries a
 * UDP payload; other contexts belong to extensions this proxy did not negotiate, so callers drop and count them.
 *
 * @param data a view of the bytes after the context ID, not a copy
 */
public record DatagramPayload(long contextId, ByteBuffer data) {
    /** RFC 9298 §5: context ID 0 is reserved for UDP payloads. */
    public static final long UDP_PAYLOAD_CONTEXT = 0;

    /** Parses a payload out of {@code src}'s remaining bytes, leaving {@code src} untouched. */
    public static DatagramPayload parse(ByteBuffer src) throws CodecException {
        ByteBuffer view = src.duplicate();
        long contextId = VarInt.tryRead(view);
        if (contextId == VarInt.INCOMPLETE) {
            throw new CodecException("HTTP Datagram payload too short for its context ID");
        }
        return new DatagramPayload(contextId, view.slice());
    }

    public static DatagramPayload udp(ByteBuffer data) {
        return new DatagramPayload(UDP_PAYLOAD_CONTEXT, data);
    }

    public boolean isUdpPayload() {
        return contextId == UDP_PAYLOAD_CONTEXT;
    }

    public int encodedLength() {
        return VarInt.length(contextId) + data.remaining();
    }

    /** Writes the context ID and the data; the data's position is not moved. */
    public void writeTo(ByteBuffer dst) {
        VarInt.write(dst, contextId);
        dst.put(data.duplicate());
    }
}
