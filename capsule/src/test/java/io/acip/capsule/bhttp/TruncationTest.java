package io.acip.capsule.bhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.acip.capsule.CodecException;
import io.acip.capsule.VarInt;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9292 §3.8: a message may end after its header section (content and trailers omitted, read as empty) or after
 * its content (trailers omitted), and nowhere else. Every prefix of each message is tried.
 */
class TruncationTest {
    static Stream<Arguments> messages() {
        RequestHead head = new RequestHead("POST", "https", "example.com", "/upload");
        Fields headers = Fields.of("content-type", "text/plain");
        Fields trailers = Fields.of("digest", "sha-256=abc", "x-done", "1");
        List<ResponseHead> informational = List.of(new ResponseHead(100), new ResponseHead(103, Fields.of("link", "<a>")));
        ResponseHead ok = new ResponseHead(200, headers);
        List<byte[]> chunks = List.of(RfcExamplesTest.bytes("hello "), RfcExamplesTest.bytes("world"));
        List<Arguments> rows = new ArrayList<>();
        for (boolean knownLength : new boolean[] {true, false}) {
            String framing = knownLength ? "known-length" : "indeterminate-length";
            rows.add(Arguments.of(framing + " request",
                    Message.request(knownLength, head, headers, chunks, trailers, 0)));
            rows.add(Arguments.of(framing + " request, empty content",
                    Message.request(knownLength, head, headers, List.of(), trailers, 0)));
            rows.add(Arguments.of(framing + " response with informational",
                    Message.response(knownLength, informational, ok, chunks, trailers, 0)));
            rows.add(Arguments.of(framing + " response, no trailers",
                    Message.response(knownLength, List.of(), ok, chunks, Fields.EMPTY, 0)));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void endsOnlyWhereSection38Allows(String name, Message message) throws CodecException {
        byte[] wire = message.encode();
        int headEnd = headEnd(message);
        int contentEnd = contentEnd(message, headEnd);
        Message withoutContent = withTail(message, List.of(), Fields.EMPTY);
        Message withoutTrailers = withTail(message, message.chunks(), Fields.EMPTY);
        for (int length = 0; length < wire.length; length++) {
            byte[] prefix = Arrays.copyOf(wire, length);
            if (length == headEnd) {
                assertEquals(withoutContent.events(), Decoding.whole(prefix), "cut after the header section");
            } else if (length == contentEnd) {
                assertEquals(withoutTrailers.events(), Decoding.whole(prefix), "cut after the content");
            } else {
                assertThrows(CodecException.class, () -> Decoding.whole(prefix), "cut at " + length);
            }
        }
        assertEquals(message.events(), Decoding.whole(wire));
    }

    /** Bytes up to the end of the (final) header section. */
    static int headEnd(Message m) {
        if (m.framing().isKnownLength()) {
            // The size of the message with no content and no trailers, less their two zero lengths.
            int bare = m.isRequest()
                    ? KnownLengthEncoder.requestSize(m.request(), m.headers(), 0, Fields.EMPTY, 0)
                    : KnownLengthEncoder.responseSize(m.informational(), m.response(), 0, Fields.EMPTY, 0);
            return bare - 2;
        }
        IndeterminateLengthEncoder encoder = m.isRequest()
                ? IndeterminateLengthEncoder.forRequest() : IndeterminateLengthEncoder.forResponse();
        int size = 0;
        for (ResponseHead interim : m.informational()) {
            size += encoder.informationalSize(interim);
            encoder.writeInformational(ByteBuffer.allocate(encoder.informationalSize(interim)), interim);
        }
        return size + (m.isRequest() ? encoder.headSize(m.request(), m.headers()) : encoder.headSize(m.response()));
    }

    static int contentEnd(Message m, int headEnd) {
        int length = m.content().length;
        if (m.framing().isKnownLength()) return headEnd + VarInt.length(length) + length;
        int size = headEnd + 1;
        for (byte[] chunk : m.chunks()) size += IndeterminateLengthEncoder.chunkSize(chunk.length);
        return size;
    }

    static Message withTail(Message m, List<byte[]> chunks, Fields trailers) {
        return new Message(m.framing(), m.informational(), m.request(), m.headers(), m.response(), chunks, trailers,
                m.padding());
    }
}
