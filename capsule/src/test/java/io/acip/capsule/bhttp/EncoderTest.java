package io.acip.capsule.bhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/** What the encoders refuse to write, and how they treat the buffers they are given. */
class EncoderTest {
    static final RequestHead GET = new RequestHead("GET", "https", "example.com", "/");

    /** RFC 9292 §3.2: a zero chunk length is the content terminator, so empty data must not become a chunk. */
    @Test
    void emptyDataWritesNoChunk() {
        IndeterminateLengthEncoder encoder = IndeterminateLengthEncoder.forRequest();
        encoder.writeHead(ByteBuffer.allocate(encoder.headSize(GET, Fields.EMPTY)), GET, Fields.EMPTY);
        ByteBuffer dst = ByteBuffer.allocate(8);
        encoder.writeChunk(dst, ByteBuffer.allocate(0));
        assertEquals(0, dst.position());
        assertEquals(0, IndeterminateLengthEncoder.chunkSize(0));
    }

    @Test
    void framingIndicatorGoesOutWithTheFirstPartOnly() {
        IndeterminateLengthEncoder encoder = IndeterminateLengthEncoder.forResponse();
        ResponseHead early = new ResponseHead(103);
        assertEquals("03406700", Hex.of(write(encoder.informationalSize(early), b -> encoder.writeInformational(b, early))));
        assertEquals("406700", Hex.of(write(encoder.informationalSize(early), b -> encoder.writeInformational(b, early))));
        ResponseHead ok = new ResponseHead(200);
        assertEquals("40c800", Hex.of(write(encoder.headSize(ok), b -> encoder.writeHead(b, ok))));
    }

    @Test
    void partsOutOfOrderAreRefused() {
        IndeterminateLengthEncoder response = IndeterminateLengthEncoder.forResponse();
        ByteBuffer big = ByteBuffer.allocate(1024);
        assertThrows(IllegalStateException.class, () -> response.writeChunk(big, ByteBuffer.allocate(1)));
        assertThrows(IllegalStateException.class, () -> response.writeEnd(big, Fields.EMPTY, 0));
        assertThrows(IllegalStateException.class, () -> response.writeHead(big, GET, Fields.EMPTY));
        response.writeHead(big, new ResponseHead(200));
        assertThrows(IllegalStateException.class, () -> response.writeInformational(big, new ResponseHead(100)));
        assertThrows(IllegalStateException.class, () -> response.writeHead(big, new ResponseHead(200)));
        response.writeEnd(big, Fields.EMPTY, 0);
        assertThrows(IllegalStateException.class, () -> response.writeChunk(big, ByteBuffer.allocate(1)));
        assertThrows(IllegalStateException.class, () -> response.writeEnd(big, Fields.EMPTY, 0));
        IndeterminateLengthEncoder request = IndeterminateLengthEncoder.forRequest();
        assertThrows(IllegalStateException.class, () -> request.writeInformational(big, new ResponseHead(100)));
        assertThrows(IllegalStateException.class, () -> request.writeHead(big, new ResponseHead(200)));
    }

    /** RFC 9292 §3.5.1: informational responses carry 1xx, the final response 200..599. */
    @Test
    void statusesMustFitTheirPlace() {
        IndeterminateLengthEncoder encoder = IndeterminateLengthEncoder.forResponse();
        ByteBuffer big = ByteBuffer.allocate(1024);
        assertThrows(IllegalArgumentException.class, () -> encoder.writeInformational(big, new ResponseHead(200)));
        assertThrows(IllegalArgumentException.class, () -> encoder.writeHead(big, new ResponseHead(103)));
        assertThrows(IllegalArgumentException.class, () -> KnownLengthEncoder.responseSize(
                List.of(new ResponseHead(204)), new ResponseHead(200), 0, Fields.EMPTY, 0));
        assertThrows(IllegalArgumentException.class, () -> KnownLengthEncoder.responseSize(
                List.of(), new ResponseHead(101), 0, Fields.EMPTY, 0));
    }

    /** RFC 9292 §3.6: pseudo-fields cannot be included in trailers. */
    @Test
    void trailersWithPseudoFieldsAreRefused() {
        Fields pseudo = Fields.of(":protocol", "x");
        assertThrows(IllegalArgumentException.class,
                () -> KnownLengthEncoder.requestSize(GET, Fields.EMPTY, 0, pseudo, 0));
        assertThrows(IllegalArgumentException.class, () -> IndeterminateLengthEncoder.endSize(pseudo, 0));
    }

    @Test
    void aWriteThatDoesNotFitWritesNothing() {
        ByteBuffer content = ByteBuffer.wrap(new byte[10]);
        int size = KnownLengthEncoder.requestSize(GET, Fields.EMPTY, 10, Fields.EMPTY, 3);
        ByteBuffer dst = ByteBuffer.allocate(size - 1);
        assertThrows(BufferOverflowException.class,
                () -> KnownLengthEncoder.writeRequest(dst, GET, Fields.EMPTY, content, Fields.EMPTY, 3));
        assertEquals(0, dst.position());
        IndeterminateLengthEncoder encoder = IndeterminateLengthEncoder.forRequest();
        ByteBuffer small = ByteBuffer.allocate(4);
        assertThrows(BufferOverflowException.class, () -> encoder.writeHead(small, GET, Fields.EMPTY));
        assertEquals(0, small.position());
    }

    @Test
    void contentBuffersAreReadNotConsumed() {
        ByteBuffer content = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}).position(1);
        ByteBuffer dst = ByteBuffer.allocate(KnownLengthEncoder.requestSize(GET, Fields.EMPTY, 4, Fields.EMPTY, 0));
        KnownLengthEncoder.writeRequest(dst, GET, Fields.EMPTY, content, Fields.EMPTY, 0);
        assertEquals(1, content.position());
        assertTrue(Hex.of(dst.array()).endsWith("04" + "02030405" + "00"), "content length, content, no trailers");
        IndeterminateLengthEncoder encoder = IndeterminateLengthEncoder.forRequest();
        encoder.writeHead(ByteBuffer.allocate(encoder.headSize(GET, Fields.EMPTY)), GET, Fields.EMPTY);
        encoder.writeChunk(ByteBuffer.allocate(5), content);
        assertEquals(1, content.position());
    }

    /** RFC 9292 §3.8: padding is zero bytes, and a known-length message may carry it as well. */
    @Test
    void paddingIsZeroBytesAtTheEnd() {
        ByteBuffer dst = ByteBuffer.allocate(KnownLengthEncoder.responseSize(
                List.of(), new ResponseHead(200), 0, Fields.EMPTY, 4));
        KnownLengthEncoder.writeResponse(dst, List.of(), new ResponseHead(200), ByteBuffer.allocate(0), Fields.EMPTY, 4);
        assertEquals("0140c800000000000000", Hex.of(dst.array()));
        assertThrows(IllegalArgumentException.class, () -> IndeterminateLengthEncoder.endSize(Fields.EMPTY, -1));
    }

    private static byte[] write(int size, Consumer<ByteBuffer> writer) {
        ByteBuffer b = ByteBuffer.allocate(size);
        writer.accept(b);
        assertEquals(size, b.position(), "size method and write agree");
        return b.array();
    }
}
