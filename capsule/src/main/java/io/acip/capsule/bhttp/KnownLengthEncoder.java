package io.acip.capsule.bhttp;

import io.acip.capsule.VarInt;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes a whole known-length message (RFC 9292 §3.1) in one call: every section and the content carry a length
 * prefix. Size a buffer with {@code requestSize}/{@code responseSize}, then write into it; a write either fits whole
 * or throws {@link java.nio.BufferOverflowException} having written nothing. The content buffer is only read: its
 * position does not move. Empty content and trailers are written as zero lengths, never truncated (§3.8).
 */
public final class KnownLengthEncoder {
    private KnownLengthEncoder() {
    }

    /** Bytes {@link #writeRequest} takes for these parts and {@code contentLength} bytes of content. */
    public static int requestSize(RequestHead head, Fields headers, int contentLength, Fields trailers, int padding) {
        PartWriter.requireTrailers(trailers);
        PartWriter.requirePadding(padding);
        int size = Math.addExact(VarInt.length(Framing.KNOWN_LENGTH_REQUEST.indicator()),
                PartWriter.controlDataSize(head));
        size = Math.addExact(size, PartWriter.sectionSize(headers, true));
        return Math.addExact(size, tailSize(contentLength, trailers, padding));
    }

    public static void writeRequest(ByteBuffer dst, RequestHead head, Fields headers, ByteBuffer content,
                                    Fields trailers, int padding) {
        PartWriter.requireRoom(dst, requestSize(head, headers, content.remaining(), trailers, padding));
        VarInt.write(dst, Framing.KNOWN_LENGTH_REQUEST.indicator());
        PartWriter.writeControlData(dst, head);
        PartWriter.writeSection(dst, headers, true);
        writeTail(dst, content, trailers, padding);
    }

    /** Bytes {@link #writeResponse} takes; {@code informational} are the 1xx responses sent before {@code head}. */
    public static int responseSize(List<ResponseHead> informational, ResponseHead head, int contentLength,
                                   Fields trailers, int padding) {
        PartWriter.requireTrailers(trailers);
        PartWriter.requirePadding(padding);
        requireResponses(informational, head);
        int size = VarInt.length(Framing.KNOWN_LENGTH_RESPONSE.indicator());
        for (ResponseHead interim : informational) {
            size = Math.addExact(size, PartWriter.responseSize(interim, true));
        }
        size = Math.addExact(size, PartWriter.responseSize(head, true));
        return Math.addExact(size, tailSize(contentLength, trailers, padding));
    }

    public static void writeResponse(ByteBuffer dst, List<ResponseHead> informational, ResponseHead head,
                                     ByteBuffer content, Fields trailers, int padding) {
        PartWriter.requireRoom(dst, responseSize(informational, head, content.remaining(), trailers, padding));
        VarInt.write(dst, Framing.KNOWN_LENGTH_RESPONSE.indicator());
        for (ResponseHead interim : informational) {
            PartWriter.writeResponse(dst, interim, true);
        }
        PartWriter.writeResponse(dst, head, true);
        writeTail(dst, content, trailers, padding);
    }

    /** RFC 9292 §3.5.1: informational responses are 1xx and precede the final one, which is not. */
    static void requireResponses(List<ResponseHead> informational, ResponseHead head) {
        for (ResponseHead interim : informational) {
            if (!interim.isInformational()) {
                throw new IllegalArgumentException("not an informational status: " + interim.status());
            }
        }
        if (head.isInformational()) {
            throw new IllegalArgumentException("final status must be 200..599: " + head.status());
        }
    }

    private static int tailSize(int contentLength, Fields trailers, int padding) {
        if (contentLength < 0) {
            throw new IllegalArgumentException("negative content length: " + contentLength);
        }
        int size = Math.addExact(PartWriter.prefixedSize(contentLength), PartWriter.sectionSize(trailers, true));
        return Math.addExact(size, padding);
    }

    private static void writeTail(ByteBuffer dst, ByteBuffer content, Fields trailers, int padding) {
        PartWriter.writePrefixed(dst, content);
        PartWriter.writeSection(dst, trailers, true);
        PartWriter.writePadding(dst, padding);
    }
}
