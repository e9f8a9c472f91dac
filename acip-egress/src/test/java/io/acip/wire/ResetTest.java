package io.acip.wire;

import static io.acip.wire.WireHex.concat;
import static io.acip.wire.WireHex.drain;
import static io.acip.wire.WireHex.header;
import static io.acip.wire.WireHex.hex;
import static io.acip.wire.WireHex.tlv;
import static io.acip.wire.WireHex.varint;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RESET (docs/acip-v0.md §5.5) and the reset codes (§6.4). */
class ResetTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @Test
    void codesAreTheSpecs() {
        String[] tokens = {"skill_unreachable", "policy_denied", "hop_limit_exceeded", "no_capacity",
                "authentication_failed", "timeout", "internal", "protocol_violation", "unsupported_tlv",
                "destination_unavailable", "link_down", "cancelled", "resumption_refused", "payload_protocol_refused"};
        assertEquals(tokens.length, ResetCode.values().length);
        for (int i = 0; i < tokens.length; i++) {
            ResetCode c = ResetCode.of(i + 1);
            assertEquals(i + 1, c.code);
            assertEquals(tokens[i], c.token());
        }
    }

    @Test
    void layoutIsHeaderCodeDetail() {
        assertEquals("0006000000000005" + "0b" + hex("gone".getBytes(UTF_8)),
                hex(drain(new Reset(5, ResetCode.LINK_DOWN, "gone").encode(ALLOC))));
        assertEquals("0006000000000005" + "0c", hex(drain(new Reset(5, ResetCode.CANCELLED, "").encode(ALLOC))));
    }

    @ParameterizedTest
    @EnumSource(ResetCode.class)
    void roundTripKeepsCodeDetailAndLabel(ResetCode code) throws MalformedPacketException {
        String detail = code.token().toUpperCase(Locale.ROOT) + " at node ü";
        Reset back = decode(drain(new Reset(0x8000_0007, code, detail).encode(ALLOC)));
        assertEquals(code, back.code());
        assertEquals(detail, back.detail());
        assertEquals(0x8000_0007, back.label());
    }

    @Test
    void undefinedCodesReadAsInternal() throws MalformedPacketException {
        assertEquals(ResetCode.INTERNAL, decode(concat(header(0x06, 0, 0, 1), varint(0))).code());
        assertEquals(ResetCode.INTERNAL, decode(concat(header(0x06, 0, 0, 1), varint(0x0f))).code());
        assertEquals(ResetCode.INTERNAL, decode(concat(header(0x06, 0, 0, 1), varint((1L << 62) - 1))).code());
    }

    @Test
    void detailUpToTheLimitIsAccepted() throws MalformedPacketException {
        byte[] d = "d".repeat(Limits.MAX_RESET_DETAIL).getBytes(UTF_8);
        assertEquals(512, decode(concat(header(0x06, 0, 0, 1), varint(1), d)).detail().length());
    }

    @Test
    void metadataIsSkipped() throws MalformedPacketException {
        byte[] m = tlv(0x40, new byte[] {1, 2});
        Reset r = decode(concat(header(0x06, 0x20, 0, 1), varint(m.length), m, varint(2), "x".getBytes(UTF_8)));
        assertEquals(ResetCode.POLICY_DENIED, r.code());
        assertEquals("x", r.detail());
    }

    @Test
    void malformedResets() {
        malformed(header(0x06, 0, 0, 1), "truncated reset code");
        malformed(concat(header(0x06, 0, 0, 1), WireHex.bytes("40")), "truncated reset code");
        malformed(concat(header(0x06, 0, 0, 1), varint(1), "d".repeat(513).getBytes(UTF_8)), "reset detail too long");
        malformed(concat(header(0x06, 0, 0, 1), varint(1), WireHex.bytes("c328")), "reset detail is not valid UTF-8");
        malformed(concat(header(0x06, 0x20, 0, 1), varint(0)), "M flag with empty metadata");
        malformed(concat(header(0x06, 0x20, 0, 1), varint(3), WireHex.bytes("01 05 07"), varint(1)), "overruns metadata");
        malformed(concat(header(0x06, 0x01, 0, 1), varint(1)), "flags");
    }

    /** decode() may be called without Header.validate before it: a buffer shorter than the header is refused. */
    @Test
    void shorterThanTheFixedHeaderIsMalformed() {
        byte[] full = concat(header(0x06, 0, 0, 1), varint(1));
        for (int len = 0; len < Header.LENGTH; len++) {
            ByteBuf b = Unpooled.wrappedBuffer(java.util.Arrays.copyOf(full, len));
            try {
                MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> Reset.decode(b),
                        len + " bytes");
                assertTrue(e.getMessage().contains("shorter than the fixed header"), e.getMessage());
            } finally {
                b.release();
            }
        }
    }

    /**
     * §5.5: a forwarder passes a RESET on as received, label rewritten in place, so what v0 does not know (a code it
     * reads as internal, RESET metadata) reaches the next node intact; only the label bytes differ.
     */
    @Test
    void forwardingAsReceivedKeepsUnknownCodesAndMetadata() throws MalformedPacketException {
        byte[] m = tlv(0x40, new byte[] {1, 2});
        byte[] received = concat(header(0x06, 0x20, 0, 0x8000_0001), varint(m.length), m, varint(0x2a),
                "from the future".getBytes(UTF_8));
        ByteBuf b = Unpooled.wrappedBuffer(received.clone());
        try {
            Reset seen = Reset.decode(b);
            assertEquals(ResetCode.INTERNAL, seen.code(), "this node reads the unknown code as internal");
            Header.setLabel(b, 0x0000_0007);
            byte[] sent = io.netty.buffer.ByteBufUtil.getBytes(b);
            assertEquals(hex(concat(header(0x06, 0x20, 0, 7), java.util.Arrays.copyOfRange(received, 8,
                    received.length))), hex(sent), "only the label changed");
        } finally {
            b.release();
        }
        assertEquals(hex(concat(header(0x06, 0, 0, 7), varint(0x07), "from the future".getBytes(UTF_8))),
                hex(drain(new Reset(7, ResetCode.INTERNAL, "from the future").encode(ALLOC))),
                "re-encoding instead would have lost the code and the metadata");
    }

    /** Senders cut the detail to 512 bytes at a character boundary, whatever the characters' widths. */
    @Test
    void longDetailsAreCutAtACharacterBoundary() throws MalformedPacketException {
        String[] units = {"a", "é", "€", "😀"};
        for (String unit : units) {
            String detail = unit.repeat(600);
            Reset r = new Reset(1, ResetCode.INTERNAL, detail);
            int bytes = r.detail().getBytes(UTF_8).length;
            int width = unit.getBytes(UTF_8).length;
            assertTrue(bytes <= 512 && bytes > 512 - width, unit + ": " + bytes + " bytes");
            assertTrue(detail.startsWith(r.detail()), unit + ": a prefix of the original");
            assertEquals(r.detail(), decode(drain(r.encode(ALLOC))).detail(), unit + ": decodes back");
        }
        assertEquals("short", new Reset(1, ResetCode.INTERNAL, "short").detail());
    }

    private static Reset decode(byte[] packet) throws MalformedPacketException {
        ByteBuf b = Unpooled.wrappedBuffer(packet);
        try {
            assertEquals(PacketType.RESET, Header.validate(b));
            return Reset.decode(b);
        } finally {
            b.release();
        }
    }

    private static void malformed(byte[] packet, String why) {
        ByteBuf b = Unpooled.wrappedBuffer(packet);
        try {
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> {
                Header.validate(b);
                Reset.decode(b);
            }, hex(packet));
            assertTrue(e.getMessage().contains(why), "expected '" + why + "', got '" + e.getMessage() + "'");
        } finally {
            b.release();
        }
    }
}
