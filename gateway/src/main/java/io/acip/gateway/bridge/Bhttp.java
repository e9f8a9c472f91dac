package io.acip.gateway.bridge;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.IndeterminateLengthEncoder;
import io.acip.capsule.bhttp.RequestHead;
import io.acip.capsule.bhttp.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * Indeterminate-length Binary HTTP (RFC 9292 §3.2) parts as buffers a session can send: the head, content chunks,
 * and the end (content terminator plus trailers). One instance per message.
 */
final class Bhttp {
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
        ByteBuffer b = ByteBuffer.allocate(encoder.headSize(head, headers));
        encoder.writeHead(b, head, headers);
        return Unpooled.wrappedBuffer(b.flip());
    }

    ByteBuf head(ResponseHead head) {
        ByteBuffer b = ByteBuffer.allocate(encoder.headSize(head));
        encoder.writeHead(b, head);
        return Unpooled.wrappedBuffer(b.flip());
    }

    ByteBuf informational(ResponseHead head) {
        ByteBuffer b = ByteBuffer.allocate(encoder.informationalSize(head));
        encoder.writeInformational(b, head);
        return Unpooled.wrappedBuffer(b.flip());
    }

    /** A content chunk, followed by the end of the message when {@code trailers} is not null. */
    ByteBuf content(ByteBuffer data, Fields trailers) {
        int size = (data.hasRemaining() ? IndeterminateLengthEncoder.chunkSize(data.remaining()) : 0)
                + (trailers != null ? IndeterminateLengthEncoder.endSize(trailers, 0) : 0);
        ByteBuffer b = ByteBuffer.allocate(size);
        if (data.hasRemaining()) encoder.writeChunk(b, data);
        if (trailers != null) encoder.writeEnd(b, trailers, 0);
        return Unpooled.wrappedBuffer(b.flip());
    }
}
