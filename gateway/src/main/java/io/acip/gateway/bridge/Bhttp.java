package io.acip.gateway.bridge;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.IndeterminateLengthEncoder;
import io.acip.capsule.bhttp.RequestHead;
import io.acip.capsule.bhttp.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;

/**
 * Indeterminate-length Binary HTTP (RFC 9292 §3.2) parts as buffers a session can send: the head, content chunks,
 * and the end (content terminator plus trailers). One instance per message.
 */
final class Bhttp {
    /**
     * Informational responses passed on per exchange, each way; later ones are dropped (they are advisory, RFC 8297
     * §2). They take no write completion, so nothing else would stop an origin or a peer that sends them without end
     * from filling the session's buffers.
     */
    static final int MAX_INFORMATIONAL = 16;

    private final IndeterminateLengthEncoder encoder;

    private Bhttp(IndeterminateLengthEncoder encoder) {
        this.encoder = encoder;
    }

    static Bhttp request() {
        return new Bhttp(IndeterminateLengthEncoder.forRequest());
    }

    static Bhttp response() {
        return new Bhttp(IndeterminateLengthEncoder.forResponse());
    }

    ByteBuf head(RequestHead head, Fields headers) {
        int size = encoder.headSize(head, headers);
        ByteBuf out = buffer(size);
        encoder.writeHead(out.nioBuffer(0, size), head, headers);
        return out.writerIndex(size);
    }

    ByteBuf head(ResponseHead head) {
        int size = encoder.headSize(head);
        ByteBuf out = buffer(size);
        encoder.writeHead(out.nioBuffer(0, size), head);
        return out.writerIndex(size);
    }

    ByteBuf informational(ResponseHead head) {
        int size = encoder.informationalSize(head);
        ByteBuf out = buffer(size);
        encoder.writeInformational(out.nioBuffer(0, size), head);
        return out.writerIndex(size);
    }

    /** A content chunk, followed by the end of the message when {@code trailers} is not null. */
    ByteBuf content(ByteBuffer data, Fields trailers) {
        int size = (data.hasRemaining() ? IndeterminateLengthEncoder.chunkSize(data.remaining()) : 0)
                + (trailers != null ? IndeterminateLengthEncoder.endSize(trailers, 0) : 0);
        ByteBuf out = buffer(size);
        ByteBuffer b = out.nioBuffer(0, size);
        if (data.hasRemaining()) encoder.writeChunk(b, data);
        if (trailers != null) encoder.writeEnd(b, trailers, 0);
        return out.writerIndex(size);
    }

    /** {@code a} then {@code b} in one buffer (both released): parts of a message that leave in one write. */
    static ByteBuf joined(ByteBuf a, ByteBuf b) {
        ByteBuf out = buffer(a.readableBytes() + b.readableBytes()).writeBytes(a).writeBytes(b);
        a.release();
        b.release();
        return out;
    }

    /**
     * A pooled heap buffer: the session seals from it and releases it, and the JDK's AES-GCM reads heap arrays
     * directly (see PacketProtection).
     */
    private static ByteBuf buffer(int size) {
        return ByteBufAllocator.DEFAULT.heapBuffer(size, size);
    }
}
