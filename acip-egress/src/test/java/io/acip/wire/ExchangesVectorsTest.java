package io.acip.wire;

import static io.acip.wire.WireHex.concat;
import static io.acip.wire.WireHex.drain;
import static io.acip.wire.WireHex.tlv;
import static io.acip.wire.WireHex.varint;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.CodecException;
import io.acip.capsule.bhttp.BinaryHttpDecoder;
import io.acip.capsule.bhttp.BinaryHttpLimits;
import io.acip.capsule.bhttp.BinaryHttpListener;
import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.IndeterminateLengthEncoder;
import io.acip.capsule.bhttp.RequestHead;
import io.acip.capsule.bhttp.ResponseHead;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A.18 of docs/acip-v0.md, byte for byte: the EXCHANGES offer and acceptance (§13.1) and the plaintext of a session
 * that carries two exchanges back to back (§13.2), decoded again message by message.
 */
class ExchangesVectorsTest {
    private static final String AUTHORITY = "authorize.bank-a.acip";
    private static final byte[] JSON_REQUEST = "{\"amount\":12}".getBytes(US_ASCII);
    private static final byte[] JSON_RESPONSE = "{\"ok\":true}".getBytes(US_ASCII);

    @Test
    void offerAndAcceptance() throws Exception {
        Metadata setup = Metadata.of(Exchanges.OFFER);
        Metadata ack = Metadata.of(Exchanges.accept(Duration.ofSeconds(60)));
        byte[] encoded = concat(drain(write(setup)), drain(write(ack)));
        new SpecVectorsTest.Dump()
                .field("SETUP: 0x16 EXCHANGES, length 0: the offer", tlv(0x16, new byte[0]))
                .field("SETUP_ACK: 0x16 EXCHANGES, length 4: idle timeout 60000 ms", tlv(0x16, varint(60_000)))
                .check("exchanges-tlvs", encoded);
        assertTrue(Exchanges.offered(setup));
        assertEquals(Duration.ofSeconds(60), Exchanges.accepted(ack).orElseThrow());
        assertTrue(Exchanges.accepted(Metadata.EMPTY).isEmpty(), "no acceptance: one exchange");
        assertTrue(Exchanges.accepted(Metadata.of(Tlv.ofVarInt(TlvType.EXCHANGES, 999))).isEmpty(), "under 1 s");
        assertTrue(Exchanges.accepted(Metadata.of(new Tlv(TlvType.EXCHANGES, new byte[] {1, 2}))).isEmpty(),
                "not one varint");
    }

    @Test
    void twoExchangesBackToBack() throws CodecException {
        IndeterminateLengthEncoder first = IndeterminateLengthEncoder.forRequest();
        IndeterminateLengthEncoder second = IndeterminateLengthEncoder.forRequest();
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        requests.writeBytes(message(first, new RequestHead("GET", "https", AUTHORITY, "/v1/health"), Fields.EMPTY,
                new byte[0]));
        requests.writeBytes(message(second, new RequestHead("POST", "https", AUTHORITY, "/v1/authorize"),
                Fields.of("content-type", "application/json"), JSON_REQUEST));
        new SpecVectorsTest.Dump()
                .field("request 1: framing 2 (indeterminate-length request)", varint(2))
                .field("method \"GET\", scheme \"https\"", str("GET"), str("https"))
                .field("authority \"" + AUTHORITY + "\"", str(AUTHORITY))
                .field("path \"/v1/health\"", str("/v1/health"))
                .field("header section: no fields, terminator", varint(0))
                .field("content: no chunks, terminator", varint(0))
                .field("trailer section: no fields, terminator (no padding)", varint(0))
                .field("request 2: framing 2", varint(2))
                .field("method \"POST\", scheme \"https\"", str("POST"), str("https"))
                .field("authority \"" + AUTHORITY + "\"", str(AUTHORITY))
                .field("path \"/v1/authorize\"", str("/v1/authorize"))
                .field("field content-type: application/json", str("content-type"), str("application/json"))
                .field("header section terminator", varint(0))
                .field("content chunk: length 13, {\"amount\":12}", varint(JSON_REQUEST.length), JSON_REQUEST)
                .field("content terminator; empty trailer section", varint(0), varint(0))
                .check("exchanges-requests", requests.toByteArray());

        ByteArrayOutputStream responses = new ByteArrayOutputStream();
        responses.writeBytes(response(new ResponseHead(204, Fields.EMPTY), new byte[0]));
        responses.writeBytes(response(new ResponseHead(200, Fields.of("content-type", "application/json")),
                JSON_RESPONSE));
        new SpecVectorsTest.Dump()
                .field("response 1: framing 3 (indeterminate-length response), status 204", varint(3), varint(204))
                .field("header section, content, trailer section: empty", varint(0), varint(0), varint(0))
                .field("response 2: framing 3, status 200", varint(3), varint(200))
                .field("field content-type: application/json", str("content-type"), str("application/json"))
                .field("header section terminator", varint(0))
                .field("content chunk: length 11, {\"ok\":true}", varint(JSON_RESPONSE.length), JSON_RESPONSE)
                .field("content terminator; empty trailer section", varint(0), varint(0))
                .check("exchanges-responses", responses.toByteArray());

        // Each decoder reads its message and leaves the next one's bytes in place.
        ByteBuffer in = ByteBuffer.wrap(requests.toByteArray());
        List<String> seen = new ArrayList<>();
        BinaryHttpDecoder one = BinaryHttpDecoder.forRequest(BinaryHttpLimits.DEFAULT, heads(seen));
        one.decodeMessage(in);
        assertTrue(one.isComplete());
        assertTrue(in.hasRemaining(), "request 2 is left for its own decoder");
        BinaryHttpDecoder two = BinaryHttpDecoder.forRequest(BinaryHttpLimits.DEFAULT, heads(seen));
        two.decodeMessage(in);
        assertTrue(two.isComplete());
        assertFalse(in.hasRemaining());
        assertEquals(List.of("GET /v1/health", "POST /v1/authorize", "content 13"), seen);
    }

    @Test
    void aZeroByteWhereAMessageStartsIsNotPadding() {
        BinaryHttpDecoder d = BinaryHttpDecoder.forRequest(BinaryHttpLimits.DEFAULT, heads(new ArrayList<>()));
        assertThrows(CodecException.class, () -> d.decodeMessage(ByteBuffer.wrap(new byte[] {0})),
                "known-length framing (a padding byte elsewhere) is refused in a sequence");
    }

    private static BinaryHttpListener heads(List<String> seen) {
        return new BinaryHttpListener() {
            @Override
            public void onRequestHead(RequestHead head, Fields headers) {
                seen.add(head.method() + " " + head.path());
            }

            @Override
            public void onContent(ByteBuffer content) {
                seen.add("content " + content.remaining());
            }
        };
    }

    private static byte[] message(IndeterminateLengthEncoder e, RequestHead head, Fields fields, byte[] content) {
        ByteBuffer b = ByteBuffer.allocate(e.headSize(head, fields) + IndeterminateLengthEncoder.chunkSize(content.length)
                + IndeterminateLengthEncoder.endSize(Fields.EMPTY, 0));
        e.writeHead(b, head, fields);
        e.writeChunk(b, ByteBuffer.wrap(content));
        e.writeEnd(b, Fields.EMPTY, 0);
        return array(b);
    }

    private static byte[] response(ResponseHead head, byte[] content) {
        IndeterminateLengthEncoder e = IndeterminateLengthEncoder.forResponse();
        ByteBuffer b = ByteBuffer.allocate(e.headSize(head) + IndeterminateLengthEncoder.chunkSize(content.length)
                + IndeterminateLengthEncoder.endSize(Fields.EMPTY, 0));
        e.writeHead(b, head);
        e.writeChunk(b, ByteBuffer.wrap(content));
        e.writeEnd(b, Fields.EMPTY, 0);
        return array(b);
    }

    private static byte[] array(ByteBuffer b) {
        b.flip();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static byte[] str(String s) {
        return concat(varint(s.length()), s.getBytes(US_ASCII));
    }

    private static io.netty.buffer.ByteBuf write(Metadata m) {
        io.netty.buffer.ByteBuf b = Unpooled.buffer();
        m.write(b);
        return b;
    }
}
