package io.acip.ingress.h3;

import io.acip.capsule.VarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;

/**
 * An HTTP/3 Datagram (RFC 9297 §2.1): a QUIC DATAGRAM frame's payload is the quarter stream ID of the request stream
 * it belongs to, then the HTTP Datagram payload (for CONNECT-UDP: context ID, then the UDP payload).
 *
 * @param payload a view of the bytes after the quarter stream ID, valid as long as the frame's buffer
 */
record HttpDatagram(long quarterStreamId, ByteBuffer payload) {
    /** RFC 9297 §2.1: the largest stream ID is 2^62-1, so the largest quarter stream ID is 2^60-1. */
    static final long MAX_QUARTER_STREAM_ID = (1L << 60) - 1;

    /** Why a QUIC DATAGRAM cannot be an HTTP/3 Datagram: RFC 9297 §2.1 makes it a connection error. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses the frame's readable bytes without moving its reader index. */
    static HttpDatagram parse(ByteBuf frame) throws MalformedException {
        ByteBuffer view = frame.nioBuffer();
        long quarter = VarInt.tryRead(view);
        if (quarter == VarInt.INCOMPLETE) {
            throw new MalformedException("QUIC DATAGRAM too short for a quarter stream ID");
        }
        if (quarter > MAX_QUARTER_STREAM_ID) {
            throw new MalformedException("quarter stream ID " + quarter + " exceeds 2^60-1");
        }
        return new HttpDatagram(quarter, view.slice());
    }

    /** Bytes a QUIC DATAGRAM carries besides the UDP payload: quarter stream ID and context ID 0. */
    static int overhead(long quarterStreamId) {
        return VarInt.length(quarterStreamId) + VarInt.length(0);
    }

    /** A QUIC DATAGRAM payload carrying {@code udpPayload} with context ID 0; the payload's position is not moved. */
    static ByteBuf encodeUdp(ByteBufAllocator alloc, long quarterStreamId, ByteBuffer udpPayload) {
        int overhead = overhead(quarterStreamId);
        byte[] prefix = new byte[overhead];
        int at = VarInt.write(prefix, 0, quarterStreamId);
        VarInt.write(prefix, at, 0);
        ByteBuf out = alloc.directBuffer(overhead + udpPayload.remaining());
        out.writeBytes(prefix);
        out.writeBytes(udpPayload.duplicate());
        return out;
    }
}
