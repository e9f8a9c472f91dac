package io.acip.capsule.bhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.CodecException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The decoder as an exchange uses it: the head reported before the body has arrived, content reported as it
 * arrives, in pieces no larger than what was fed and as views of the fed buffers, never gathered.
 */
class StreamingTest {
    static final RequestHead UPLOAD = new RequestHead("PUT", "https", "skills.example", "/blob");

    @Test
    void requestHeadIsReportedBeforeAnyContentArrives() throws CodecException {
        IndeterminateLengthEncoder encoder = IndeterminateLengthEncoder.forRequest();
        ByteBuffer head = ByteBuffer.allocate(encoder.headSize(UPLOAD, Fields.of("a", "1")));
        encoder.writeHead(head, UPLOAD, Fields.of("a", "1"));
        Recorder recorder = new Recorder();
        BinaryHttpDecoder decoder = BinaryHttpDecoder.forRequest(BinaryHttpLimits.DEFAULT, recorder);
        decoder.decode(head.flip());
        assertEquals(List.of(new Event.Request(UPLOAD, Fields.of("a", "1"))), recorder.events);
        assertFalse(decoder.isComplete());
    }

    @Test
    void informationalAndFinalHeadsAreReportedAsEachCompletes() throws CodecException {
        IndeterminateLengthEncoder encoder = IndeterminateLengthEncoder.forResponse();
        Recorder recorder = new Recorder();
        BinaryHttpDecoder decoder = BinaryHttpDecoder.forResponse(BinaryHttpLimits.DEFAULT, recorder);
        ResponseHead early = new ResponseHead(103, Fields.of("link", "</a.css>; rel=preload"));
        ByteBuffer b = ByteBuffer.allocate(encoder.informationalSize(early));
        encoder.writeInformational(b, early);
        decoder.decode(b.flip());
        assertEquals(List.of(new Event.Informational(early)), recorder.events);
        ResponseHead ok = new ResponseHead(200, Fields.of("content-type", "text/event-stream"));
        b = ByteBuffer.allocate(encoder.headSize(ok));
        encoder.writeHead(b, ok);
        decoder.decode(b.flip());
        assertEquals(List.of(new Event.Informational(early), new Event.Response(ok)), recorder.events);
    }

    @Test
    void eachChunkIsReportedWhenItArrivesNotAtTheEnd() throws CodecException {
        IndeterminateLengthEncoder encoder = IndeterminateLengthEncoder.forResponse();
        Recorder recorder = new Recorder();
        BinaryHttpDecoder decoder = BinaryHttpDecoder.forResponse(BinaryHttpLimits.DEFAULT, recorder);
        ResponseHead ok = new ResponseHead(200);
        ByteBuffer b = ByteBuffer.allocate(encoder.headSize(ok));
        encoder.writeHead(b, ok);
        decoder.decode(b.flip());
        for (String event : List.of("data: 1\n\n", "data: 2\n\n")) {
            byte[] data = RfcExamplesTest.bytes(event);
            b = ByteBuffer.allocate(IndeterminateLengthEncoder.chunkSize(data.length));
            encoder.writeChunk(b, ByteBuffer.wrap(data));
            long before = recorder.contentBytes;
            decoder.decode(b.flip());
            assertEquals(before + data.length, recorder.contentBytes);
        }
        assertFalse(decoder.isComplete());
        b = ByteBuffer.allocate(IndeterminateLengthEncoder.endSize(Fields.EMPTY, 0));
        encoder.writeEnd(b, Fields.EMPTY, 0);
        decoder.decode(b.flip());
        assertTrue(decoder.isComplete());
    }

    @Test
    void eightMebibytesInChunksAreDeliveredInBoundedViews() throws CodecException {
        byte[] content = new byte[8 << 20];
        new Random(1).nextBytes(content);
        byte[] wire = encodeChunked(content, 64 * 1024);
        assertStreamsInViews(wire, content, 16 * 1024);
    }

    @Test
    void oneEightMebibyteKnownLengthContentIsNeverGathered() throws CodecException {
        byte[] content = new byte[8 << 20];
        new Random(2).nextBytes(content);
        ByteBuffer dst = ByteBuffer.allocate(
                KnownLengthEncoder.requestSize(UPLOAD, Fields.EMPTY, content.length, Fields.of("x", "y"), 0));
        KnownLengthEncoder.writeRequest(dst, UPLOAD, Fields.EMPTY, ByteBuffer.wrap(content), Fields.of("x", "y"), 0);
        assertStreamsInViews(dst.array(), content, 4 * 1024);
    }

    @Test
    void oneHugeIndeterminateChunkIsNeverGathered() throws CodecException {
        byte[] content = new byte[8 << 20];
        new Random(3).nextBytes(content);
        assertStreamsInViews(encodeChunked(content, content.length), content, 4 * 1024);
    }

    /** Feeds {@code wire} in {@code piece}-byte buffers and checks what came out of the decoder, and how. */
    private static void assertStreamsInViews(byte[] wire, byte[] content, int piece) throws CodecException {
        Recorder recorder = new Recorder(true);
        BinaryHttpDecoder decoder = BinaryHttpDecoder.forRequest(BinaryHttpLimits.DEFAULT, recorder);
        ByteBuffer received = ByteBuffer.allocate(content.length);
        for (int from = 0; from < wire.length; from += piece) {
            byte[] fed = Arrays.copyOfRange(wire, from, Math.min(wire.length, from + piece));
            decoder.decode(ByteBuffer.wrap(fed));
            if (from == 0) {
                assertEquals(List.of(new Event.Request(UPLOAD, Fields.EMPTY)), recorder.events, "head comes first");
            }
            for (ByteBuffer view : recorder.contentViews) {
                assertSame(fed, view.array(), "content is a view of the buffer fed, not a copy");
                received.put(view);
            }
            recorder.contentViews.clear();
        }
        decoder.finish();
        assertTrue(recorder.largestPiece <= piece, "largest piece " + recorder.largestPiece);
        assertEquals(content.length, recorder.contentBytes);
        assertEquals(ByteBuffer.wrap(content), received.flip());
    }

    private static byte[] encodeChunked(byte[] content, int chunk) {
        IndeterminateLengthEncoder encoder = IndeterminateLengthEncoder.forRequest();
        int size = encoder.headSize(UPLOAD, Fields.EMPTY) + IndeterminateLengthEncoder.endSize(Fields.EMPTY, 0);
        for (int from = 0; from < content.length; from += chunk) {
            size += IndeterminateLengthEncoder.chunkSize(Math.min(chunk, content.length - from));
        }
        ByteBuffer dst = ByteBuffer.allocate(size);
        encoder.writeHead(dst, UPLOAD, Fields.EMPTY);
        for (int from = 0; from < content.length; from += chunk) {
            encoder.writeChunk(dst, ByteBuffer.wrap(content, from, Math.min(chunk, content.length - from)));
        }
        encoder.writeEnd(dst, Fields.EMPTY, 0);
        return dst.array();
    }
}
