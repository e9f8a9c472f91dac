package io.acip.capsule.bhttp;

import static io.acip.capsule.bhttp.Wire.known;
import static io.acip.capsule.bhttp.Wire.of;
import static io.acip.capsule.bhttp.Wire.raw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.acip.capsule.CodecException;
import io.acip.capsule.VarInt;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per rule of RFC 9292 (and the HTTP rules it names) that makes a message invalid, or keeps it valid. */
class DecoderRulesTest {
    /** A known-length request with the given header section, empty content and trailers. */
    static byte[] requestWithHeaders(Object... lines) {
        return of(0, "GET", "https", "example.com", "/", known(lines), 0, 0);
    }

    static byte[] requestWithControlData(String method, String scheme, String authority, String path) {
        return of(0, method, scheme, authority, path, 0, 0, 0);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("§3.3 framing indicator other than 0..3", of(4)),
                Arguments.of("§3.3 framing indicator far out of range", of(VarInt.MAX)),
                Arguments.of("§3.5 status below 100", of(1, 99, 0, 0, 0)),
                Arguments.of("§3.5 status above 599", of(1, 600, 0, 0, 0)),
                Arguments.of("§3.5.1 informational response with no final one", of(1, 103, 0)),
                Arguments.of("§3.6 empty field name", requestWithHeaders("", "v")),
                Arguments.of("§3.6 field name with a space", requestWithHeaders("a b", "v")),
                Arguments.of("§3.6 field name with a colon inside", requestWithHeaders("a:b", "v")),
                Arguments.of("§3.6 field name with a non-ASCII byte", requestWithHeaders("caf\u00e9", "v")),
                Arguments.of("§3.6 field name that is a bare colon", requestWithHeaders(":", "v")),
                Arguments.of("§3.6 field value with CR", requestWithHeaders("a", "x\ry")),
                Arguments.of("§3.6 field value with LF", requestWithHeaders("a", "x\ny")),
                Arguments.of("§3.6 field value with NUL", requestWithHeaders("a", "x\0y")),
                Arguments.of("§3.6 field value with leading space", requestWithHeaders("a", " x")),
                Arguments.of("§3.6 field value with trailing tab", requestWithHeaders("a", "x\t")),
                Arguments.of("§3.6 :method as a field", requestWithHeaders(":method", "GET")),
                Arguments.of("§3.6 :scheme as a field", requestWithHeaders(":scheme", "https")),
                Arguments.of("§3.6 :authority as a field", requestWithHeaders(":authority", "a")),
                Arguments.of("§3.6 :path as a field", requestWithHeaders(":path", "/")),
                Arguments.of("§3.6 :status as a field", of(1, 200, known(":status", "200"), 0, 0)),
                Arguments.of("§3.6 pseudo-field after a regular field",
                        requestWithHeaders("a", "1", ":protocol", "websocket")),
                Arguments.of("§3.6 pseudo-field in trailers",
                        of(0, "GET", "https", "", "/", 0, 0, known(":protocol", "x"))),
                Arguments.of("§3.4 method that is not a token", requestWithControlData("G T", "https", "", "/")),
                Arguments.of("§3.4 empty method", requestWithControlData("", "https", "", "/")),
                Arguments.of("§3.4 scheme starting with a digit", requestWithControlData("GET", "1http", "", "/")),
                Arguments.of("§3.4 path with a space", requestWithControlData("GET", "https", "", "/a b")),
                Arguments.of("§3.4 authority with a control byte", requestWithControlData("GET", "https", "a\u0001", "/")),
                Arguments.of("§3.4 path with a non-ASCII byte", requestWithControlData("GET", "https", "", "/\u00e9")),
                Arguments.of("§3.1 field line running past its section",
                        of(0, "GET", "https", "", "/", 3, "ab", "cd", 0, 0)),
                Arguments.of("§3.1 content shorter than its length", of(0, "GET", "https", "", "/", 0, 5, raw("abc"))),
                Arguments.of("§3.1 field section shorter than its length", of(0, "GET", "https", "", "/", 9, "a", "b")),
                Arguments.of("§3.2 field section with no terminator", of(2, "GET", "https", "", "/", "a", "b")),
                Arguments.of("§3.2 chunk shorter than its length", of(2, "GET", "https", "", "/", 0, 5, raw("abc"))),
                Arguments.of("§3.8 content chunks with no terminator", of(2, "GET", "https", "", "/", 0, "abc")),
                Arguments.of("§3.8 trailers with no terminator", of(2, "GET", "https", "", "/", 0, 0, "a", "b")),
                Arguments.of("§3.8 truncated inside control data", of(0, "GET", "https")),
                Arguments.of("§3.8 truncated before the header section", of(0, "GET", "https", "", "/")),
                Arguments.of("§3.8 truncated inside a length", of(0, "GET", "https", "", "/", 0, new byte[] {0x40})),
                Arguments.of("§3.8 empty input", new byte[0]),
                Arguments.of("§3.8 non-zero byte after the message", of(0, "GET", "https", "", "/", 0, 0, 0, 0, 0, 1)),
                Arguments.of("§3.8 a second message after the first",
                        of(0, "GET", "https", "", "/", 0, 0, 0, 0, "GET", "https", "", "/", 0, 0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refuses(String rule, byte[] wire) {
        assertThrows(CodecException.class, () -> Decoding.whole(wire));
        assertThrows(CodecException.class, () -> Decoding.byteByByte(wire));
    }

    static Stream<Arguments> valid() {
        RequestHead head = new RequestHead("GET", "https", "example.com", "/");
        return Stream.of(
                Arguments.of("§3 integers need not be minimal",
                        Hex.bytes("4000 4003 474554 80000005 6874747073 c000000000000000 4001 2f"
                                + " 4000 4000 4000"),
                        List.of(new Event.Request(new RequestHead("GET", "https", "", "/"), Fields.EMPTY),
                                new Event.Trailers(Fields.EMPTY), new Event.Complete())),
                Arguments.of("§3.6 extension pseudo-field ahead of regular fields",
                        requestWithHeaders(":protocol", "websocket", "a", "1"),
                        List.of(new Event.Request(head, Fields.of(":protocol", "websocket", "a", "1")),
                                new Event.Trailers(Fields.EMPTY), new Event.Complete())),
                Arguments.of("§3.6 names keep their case, repeated names their order",
                        requestWithHeaders("X-A", "1", "x-a", "2", "X-A", "3"),
                        List.of(new Event.Request(head, Fields.of("X-A", "1", "x-a", "2", "X-A", "3")),
                                new Event.Trailers(Fields.EMPTY), new Event.Complete())),
                Arguments.of("§3.6 values may hold obs-text, inner spaces, empty",
                        requestWithHeaders("a", "caf\u00e9 \u00ff", "b", ""),
                        List.of(new Event.Request(head, Fields.of("a", "caf\u00e9 \u00ff", "b", "")),
                                new Event.Trailers(Fields.EMPTY), new Event.Complete())),
                Arguments.of("§3.4 empty authority, scheme and path (CONNECT-style)",
                        of(0, "CONNECT", "", "", "", 0, 0, 0),
                        List.of(new Event.Request(new RequestHead("CONNECT", "", "", ""), Fields.EMPTY),
                                new Event.Trailers(Fields.EMPTY), new Event.Complete())),
                Arguments.of("§3.8 any amount of zero padding",
                        of(0, "GET", "https", "example.com", "/", 0, 0, 0, new byte[1000]),
                        List.of(new Event.Request(head, Fields.EMPTY),
                                new Event.Trailers(Fields.EMPTY), new Event.Complete())),
                Arguments.of("§3.5 statuses 100 and 599 are the ends of the range",
                        of(1, 100, 0, 599, 0, 0, 0),
                        List.of(new Event.Informational(new ResponseHead(100)),
                                new Event.Response(new ResponseHead(599)),
                                new Event.Trailers(Fields.EMPTY), new Event.Complete())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void accepts(String rule, byte[] wire, List<Event> expected) throws CodecException {
        assertEquals(expected, Decoding.whole(wire));
        assertEquals(expected, Decoding.byteByByte(wire));
    }

    @Test
    void requestDecoderRefusesAResponse() {
        BinaryHttpDecoder decoder = BinaryHttpDecoder.forRequest(BinaryHttpLimits.DEFAULT, new Recorder());
        assertThrows(CodecException.class, () -> decoder.decode(ByteBuffer.wrap(RfcExamplesTest.FIGURE_13)));
    }

    @Test
    void responseDecoderRefusesARequest() {
        BinaryHttpDecoder decoder = BinaryHttpDecoder.forResponse(BinaryHttpLimits.DEFAULT, new Recorder());
        assertThrows(CodecException.class, () -> decoder.decode(ByteBuffer.wrap(RfcExamplesTest.FIGURE_9)));
    }

    @Test
    void failedDecoderStaysFailed() {
        BinaryHttpDecoder decoder = BinaryHttpDecoder.forEither(BinaryHttpLimits.DEFAULT, new Recorder());
        assertThrows(CodecException.class, () -> decoder.decode(ByteBuffer.wrap(of(7))));
        assertThrows(CodecException.class, () -> decoder.decode(ByteBuffer.wrap(RfcExamplesTest.FIGURE_8)));
        assertThrows(CodecException.class, decoder::finish);
    }

    @Test
    void reportsFramingAndCompletion() throws CodecException {
        BinaryHttpDecoder decoder = BinaryHttpDecoder.forEither(BinaryHttpLimits.DEFAULT, new Recorder());
        decoder.decode(ByteBuffer.wrap(RfcExamplesTest.FIGURE_11));
        assertEquals(Framing.INDETERMINATE_LENGTH_RESPONSE, decoder.framing());
        assertEquals(true, decoder.isComplete());
    }
}
