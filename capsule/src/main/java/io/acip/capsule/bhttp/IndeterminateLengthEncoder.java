package io.acip.capsule.bhttp;

import io.acip.capsule.VarInt;

import java.nio.ByteBuffer;

/**
 * Writes one indeterminate-length message (RFC 9292 §3.2) part by part, as an exchange streams: informational
 * responses, then the head, then content chunks as they arrive, then the end (content terminator, trailers, padding).
 * The framing indicator goes out with whichever part is written first. Each part has a {@code …Size} method saying
 * how many bytes its {@code write…} takes; a write either fits whole or throws
 * {@link java.nio.BufferOverflowException} having written nothing. Content buffers are only read.
 *
 * <p>One instance per message, used by one thread; writing parts out of order is an {@link IllegalStateException}.
 */
public final class IndeterminateLengthEncoder {
    private enum Phase { START, INFORMATIONAL, CONTENT, DONE }

    private final Framing framing;
    private Phase phase = Phase.START;

    private IndeterminateLengthEncoder(MessageKind kind) {
        this.framing = Framing.of(kind, false);
    }

    public static IndeterminateLengthEncoder forRequest() {
        return new IndeterminateLengthEncoder(MessageKind.REQUEST);
    }

    public static IndeterminateLengthEncoder forResponse() {
        return new IndeterminateLengthEncoder(MessageKind.RESPONSE);
    }

    /** Bytes {@link #writeInformational} takes now. */
    public int informationalSize(ResponseHead informational) {
        require(MessageKind.RESPONSE, Phase.START, Phase.INFORMATIONAL);
        if (!informational.isInformational()) {
            throw new IllegalArgumentException("not an informational status: " + informational.status());
        }
        return Math.addExact(framingSize(), PartWriter.responseSize(informational, false));
    }

    /** An interim 1xx response (RFC 9292 §3.5.1); any number may precede the final head. */
    public void writeInformational(ByteBuffer dst, ResponseHead informational) {
        PartWriter.requireRoom(dst, informationalSize(informational));
        writeFraming(dst);
        PartWriter.writeResponse(dst, informational, false);
        phase = Phase.INFORMATIONAL;
    }

    /** Bytes {@link #writeHead(ByteBuffer, RequestHead, Fields)} takes now. */
    public int headSize(RequestHead head, Fields headers) {
        require(MessageKind.REQUEST, Phase.START, Phase.START);
        int size = Math.addExact(framingSize(), PartWriter.controlDataSize(head));
        return Math.addExact(size, PartWriter.sectionSize(headers, false));
    }

    /** Framing indicator, request control data and header section. */
    public void writeHead(ByteBuffer dst, RequestHead head, Fields headers) {
        PartWriter.requireRoom(dst, headSize(head, headers));
        writeFraming(dst);
        PartWriter.writeControlData(dst, head);
        PartWriter.writeSection(dst, headers, false);
        phase = Phase.CONTENT;
    }

    /** Bytes {@link #writeHead(ByteBuffer, ResponseHead)} takes now. */
    public int headSize(ResponseHead head) {
        require(MessageKind.RESPONSE, Phase.START, Phase.INFORMATIONAL);
        if (head.isInformational()) {
            throw new IllegalArgumentException("final status must be 200..599: " + head.status());
        }
        return Math.addExact(framingSize(), PartWriter.responseSize(head, false));
    }

    /** The final status and its header section (and the framing indicator if nothing preceded them). */
    public void writeHead(ByteBuffer dst, ResponseHead head) {
        PartWriter.requireRoom(dst, headSize(head));
        writeFraming(dst);
        PartWriter.writeResponse(dst, head, false);
        phase = Phase.CONTENT;
    }

    /** Bytes {@link #writeChunk} takes for {@code length} bytes of content: none for none. */
    public static int chunkSize(int length) {
        return length == 0 ? 0 : PartWriter.prefixedSize(length);
    }

    /**
     * One content chunk. Empty data writes nothing: a zero-length chunk would be read as the content terminator
     * (RFC 9292 §3.2).
     */
    public void writeChunk(ByteBuffer dst, ByteBuffer data) {
        require(framing.kind(), Phase.CONTENT, Phase.CONTENT);
        if (!data.hasRemaining()) return;
        PartWriter.requireRoom(dst, chunkSize(data.remaining()));
        PartWriter.writePrefixed(dst, data);
    }

    /** Bytes {@link #writeEnd} takes. */
    public static int endSize(Fields trailers, int padding) {
        PartWriter.requireTrailers(trailers);
        PartWriter.requirePadding(padding);
        return Math.addExact(1 + PartWriter.sectionSize(trailers, false), padding);
    }

    /** Content terminator, trailer section and {@code padding} zero bytes (RFC 9292 §3.8); the message is done. */
    public void writeEnd(ByteBuffer dst, Fields trailers, int padding) {
        require(framing.kind(), Phase.CONTENT, Phase.CONTENT);
        PartWriter.requireRoom(dst, endSize(trailers, padding));
        dst.put((byte) 0);
        PartWriter.writeSection(dst, trailers, false);
        PartWriter.writePadding(dst, padding);
        phase = Phase.DONE;
    }

    private int framingSize() {
        return phase == Phase.START ? VarInt.length(framing.indicator()) : 0;
    }

    private void writeFraming(ByteBuffer dst) {
        if (phase == Phase.START) {
            VarInt.write(dst, framing.indicator());
        }
    }

    private void require(MessageKind kind, Phase from, Phase to) {
        if (framing.kind() != kind) {
            throw new IllegalStateException("this encoder writes a " + framing.kind());
        }
        if (phase.compareTo(from) < 0 || phase.compareTo(to) > 0) {
            throw new IllegalStateException("cannot write that part after " + phase);
        }
    }
}
