package io.acip.capsule.bhttp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole message as a test describes it, with the bytes the encoders make of it and the events a decoder must
 * report for it. {@code chunks} is how an indeterminate-length encoding splits the content.
 */
record Message(Framing framing, List<ResponseHead> informational, RequestHead request, Fields headers,
               ResponseHead response, List<byte[]> chunks, Fields trailers, int padding) {

    static Message request(boolean knownLength, RequestHead head, Fields headers, List<byte[]> chunks,
                           Fields trailers, int padding) {
        return new Message(Framing.of(MessageKind.REQUEST, knownLength), List.of(), head, headers, null, chunks,
                trailers, padding);
    }

    static Message response(boolean knownLength, List<ResponseHead> informational, ResponseHead head,
                            List<byte[]> chunks, Fields trailers, int padding) {
        return new Message(Framing.of(MessageKind.RESPONSE, knownLength), informational, null, null, head, chunks,
                trailers, padding);
    }

    boolean isRequest() {
        return framing.kind() == MessageKind.REQUEST;
    }

    byte[] content() {
        int n = 0;
        for (byte[] c : chunks) n += c.length;
        ByteBuffer all = ByteBuffer.allocate(n);
        for (byte[] c : chunks) all.put(c);
        return all.array();
    }

    byte[] encode() {
        if (framing.isKnownLength()) {
            ByteBuffer content = ByteBuffer.wrap(content());
            int size = isRequest()
                    ? KnownLengthEncoder.requestSize(request, headers, content.remaining(), trailers, padding)
                    : KnownLengthEncoder.responseSize(informational, response, content.remaining(), trailers, padding);
            ByteBuffer dst = ByteBuffer.allocate(size);
            if (isRequest()) {
                KnownLengthEncoder.writeRequest(dst, request, headers, content, trailers, padding);
            } else {
                KnownLengthEncoder.writeResponse(dst, informational, response, content, trailers, padding);
            }
            return done(dst);
        }
        IndeterminateLengthEncoder encoder = isRequest()
                ? IndeterminateLengthEncoder.forRequest() : IndeterminateLengthEncoder.forResponse();
        List<ByteBuffer> parts = new ArrayList<>();
        for (ResponseHead interim : informational) {
            ByteBuffer b = ByteBuffer.allocate(encoder.informationalSize(interim));
            encoder.writeInformational(b, interim);
            parts.add(b);
        }
        ByteBuffer head = ByteBuffer.allocate(isRequest() ? encoder.headSize(request, headers) : encoder.headSize(response));
        if (isRequest()) encoder.writeHead(head, request, headers);
        else encoder.writeHead(head, response);
        parts.add(head);
        for (byte[] chunk : chunks) {
            ByteBuffer b = ByteBuffer.allocate(IndeterminateLengthEncoder.chunkSize(chunk.length));
            encoder.writeChunk(b, ByteBuffer.wrap(chunk));
            parts.add(b);
        }
        ByteBuffer end = ByteBuffer.allocate(IndeterminateLengthEncoder.endSize(trailers, padding));
        encoder.writeEnd(end, trailers, padding);
        parts.add(end);
        ByteBuffer all = ByteBuffer.allocate(parts.stream().mapToInt(ByteBuffer::capacity).sum());
        for (ByteBuffer part : parts) {
            if (part.hasRemaining()) throw new AssertionError("size method over-counted");
            all.put(part.flip());
        }
        return all.array();
    }

    List<Event> events() {
        List<Event> events = new ArrayList<>();
        for (ResponseHead interim : informational) events.add(new Event.Informational(interim));
        events.add(isRequest() ? new Event.Request(request, headers) : new Event.Response(response));
        byte[] content = content();
        if (content.length > 0) events.add(new Event.Content(new String(content, StandardCharsets.ISO_8859_1)));
        events.add(new Event.Trailers(trailers));
        events.add(new Event.Complete());
        return events;
    }

    private static byte[] done(ByteBuffer dst) {
        if (dst.hasRemaining()) throw new AssertionError("size method over-counted");
        return dst.array();
    }
}
