package io.acip.wire;

import static io.acip.wire.WireHex.concat;
import static io.acip.wire.WireHex.drain;
import static io.acip.wire.WireHex.header;
import static io.acip.wire.WireHex.hex;
import static io.acip.wire.WireHex.tlv;
import static io.acip.wire.WireHex.varint;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SETUP (docs/acip-v0.md §5.1) and the optional fields (§3.3, §4.1), one rule per test. */
class SetupTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final byte[] HDR = header(0x01, 0x80, 16, 1);
    private static final byte[] R = concat(varint(3), "a/b".getBytes(UTF_8));

    // ------------------------------------------------------------------ encoding

    @Test
    void minimalSetupIsHeaderAndResponderSkill() {
        Setup s = new Setup(7, 16, false, new SkillName("a/b"), "", Metadata.EMPTY);
        assertEquals("0001801000000007" + "03612f62", hex(drain(s.encode(ALLOC))));
    }

    @Test
    void flagsFollowWhatIsPresent() {
        Metadata m = Metadata.of(Tlv.ofVarInt(TlvType.TENANT, 1));
        assertEquals(0x80, flagsOf(new Setup(1, 1, false, new SkillName("a"), "", Metadata.EMPTY)));
        assertEquals(0xc0, flagsOf(new Setup(1, 1, false, new SkillName("a"), "x", Metadata.EMPTY)));
        assertEquals(0xa0, flagsOf(new Setup(1, 1, false, new SkillName("a"), "", m)));
        assertEquals(0xe8, flagsOf(new Setup(1, 1, true, new SkillName("a"), "x", m)));
    }

    @Test
    void roundTripKeepsEveryField() {
        Metadata m = Metadata.of(Tlv.ofVarInt(TlvType.TENANT, 300), Tlv.ofString(TlvType.ALLOWED_REGIONS, "eu"),
                new Tlv(0x1234, new byte[] {1, 2, 3}), new Tlv(TlvType.KEY_SHARE, new byte[32]),
                Tlv.ofString(TlvType.TRAJECTORY, "n1"), Tlv.ofString(TlvType.TRAJECTORY, "n2"));
        Setup s = new Setup(0x8000_0042, 9, true, new SkillName("bank-a/payments"), "agent://x/ü", m);
        Setup back = roundTrip(s);
        assertEquals(0x8000_0042, back.label());
        assertEquals(9, back.hopLimit());
        assertTrue(back.datagramMode());
        assertEquals("bank-a/payments", back.responder().value());
        assertEquals("agent://x/ü", back.initiator());
        assertSameTlvs(m, back.metadata());
        assertEquals(List.of("n1", "n2"), back.metadata().trajectory());
    }

    @Test
    void decodeNeitherConsumesNorCaresWhereTheReaderIndexIs() throws MalformedPacketException {
        ByteBuf b = Unpooled.wrappedBuffer(concat(new byte[] {9, 9}, HDR, R));
        try {
            b.readerIndex(2);
            Setup s = Setup.decode(b);
            assertEquals("a/b", s.responder().value());
            assertEquals(2, b.readerIndex());
        } finally {
            b.release();
        }
    }

    /** §6.2: a forwarder sends the SETUP on with its label, its hop spent, and itself on the trajectory. */
    @Test
    void forwardedSwapsLabelSpendsHopsAndAppendsTrajectory() {
        Metadata m = Metadata.of(Tlv.ofString(TlvType.TRACEPARENT, "t"), Tlv.ofString(TlvType.TRAJECTORY, "origin"));
        Setup in = new Setup(5, 16, true, new SkillName("a/b"), "i", m);
        Setup out = in.forwarded(0x8000_0009, "transit", 1);
        assertEquals(0x8000_0009, out.label());
        assertEquals(15, out.hopLimit());
        assertEquals(List.of("origin", "transit"), out.metadata().trajectory());
        assertEquals(3, out.metadata().tlvs().size());
        assertEquals(TlvType.TRACEPARENT, out.metadata().tlvs().get(0).type(), "existing TLVs keep their place");
        assertTrue(out.datagramMode());
        assertEquals("i", out.initiator());
        assertEquals(16, in.hopLimit(), "the original is unchanged");
        assertEquals(List.of("origin"), in.metadata().trajectory());
        assertEquals(16, in.forwarded(1, "origin-node", 0).hopLimit(), "the origin spends no hop");
    }

    // ------------------------------------------------------------------ accepted edge cases

    @Test
    void limitsAreInclusive() {
        String seg = "a".repeat(63);
        String name255 = seg + "/" + seg + "/" + seg + "/" + seg;
        assertEquals(255, name255.length());
        Setup s = roundTrip(new Setup(1, 1, false, new SkillName(name255), "i".repeat(255), Metadata.EMPTY));
        assertEquals(name255, s.responder().value());
        assertEquals(255, s.initiator().length());

        // 4096 bytes of metadata: one TLV of type 0x04, length 4093 (2-byte varint).
        Setup big = roundTrip(new Setup(1, 1, false, new SkillName("a"), "",
                Metadata.of(new Tlv(TlvType.TRACEPARENT, new byte[4093]))));
        assertEquals(4093, big.metadata().tlvs().get(0).value().length);

        Tlv[] many = new Tlv[Limits.MAX_TLVS];
        java.util.Arrays.fill(many, new Tlv(0x10, new byte[0]));
        assertEquals(64, roundTrip(new Setup(1, 1, false, new SkillName("a"), "", Metadata.of(many)))
                .metadata().tlvs().size());
    }

    @Test
    void emptyInitiatorFieldReadsAsAbsent() {
        Setup s = decode(concat(header(0x01, 0xc0, 1, 1), R, varint(0)));
        assertEquals("", s.initiator());
    }

    @Test
    void readersAcceptNonMinimalVarintsAndWritersNormalise() {
        // R length 3 as a 2-byte varint; TENANT TLV with a 2-byte type and a 4-byte length.
        byte[] m = WireHex.bytes("4001 80000001 07");
        byte[] in = concat(header(0x01, 0xa0, 1, 1), WireHex.bytes("4003"), "a/b".getBytes(UTF_8), varint(m.length), m);
        Setup s = decode(in);
        assertEquals("a/b", s.responder().value());
        assertEquals(TlvType.TENANT, s.metadata().tlvs().get(0).type());
        assertEquals("0001a00100000001" + "03612f62" + "03" + "010107", hex(drain(s.encode(ALLOC))));
    }

    @Test
    void unknownEvenTlvIsCarriedOnUnchanged() {
        byte[] value = {(byte) 0xde, (byte) 0xad};
        byte[] m = concat(tlv(0x3e, value), tlv(0x01, varint(2)));
        Setup s = decode(concat(header(0x01, 0xa0, 3, 1), R, varint(m.length), m));
        Setup out = s.forwarded(2, "n", 1);
        byte[] encoded = drain(out.encode(ALLOC));
        byte[] expectM = concat(m, tlv(0x06, "n".getBytes(UTF_8)));
        assertEquals(hex(concat(header(0x01, 0xa0, 2, 2), R, varint(expectM.length), expectM)), hex(encoded));
    }

    // ------------------------------------------------------------------ malformed

    @Test
    void setupWithoutResponderSkillIsMalformed() {
        malformed(concat(header(0x01, 0x20, 1, 1), varint(3), tlv(0x01, varint(1))), "without responder skill");
        malformed(header(0x01, 0x00, 1, 1), "without responder skill");
    }

    /** decode() may be called without Header.validate before it: a buffer shorter than the header is refused. */
    @Test
    void shorterThanTheFixedHeaderIsMalformed() {
        byte[] full = concat(HDR, R);
        for (int len = 0; len < Header.LENGTH; len++) {
            ByteBuf b = Unpooled.wrappedBuffer(java.util.Arrays.copyOf(full, len));
            try {
                MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> Setup.decode(b),
                        len + " bytes");
                assertTrue(e.getMessage().contains("shorter than the fixed header"), e.getMessage());
            } finally {
                b.release();
            }
        }
    }

    @Test
    void truncatedVarintsAreMalformed() {
        malformed(concat(HDR, WireHex.bytes("40")), "truncated responder skill length");
        malformed(concat(HDR, WireHex.bytes("80 00 00")), "truncated responder skill length");
        malformed(header(0x01, 0x80, 1, 1), "truncated responder skill length");
        malformed(concat(header(0x01, 0xc0, 1, 1), R, WireHex.bytes("c0 00")), "truncated initiator identity length");
        malformed(concat(header(0x01, 0xa0, 1, 1), R), "truncated metadata length");
        malformed(concat(header(0x01, 0xa0, 1, 1), R, varint(1), WireHex.bytes("40")), "truncated TLV type");
        malformed(concat(header(0x01, 0xa0, 1, 1), R, varint(2), WireHex.bytes("01 40")), "truncated TLV length");
    }

    @Test
    void fieldRunningPastThePacketIsMalformed() {
        malformed(concat(HDR, varint(5), "a/b".getBytes(UTF_8)), "truncated responder skill");
        malformed(concat(header(0x01, 0xc0, 1, 1), R, varint(9), "ab".getBytes(UTF_8)), "truncated initiator identity");
        malformed(concat(header(0x01, 0xa0, 1, 1), R, varint(10), tlv(0x01, varint(1))), "truncated metadata");
    }

    @Test
    void overlongNamesAreMalformedBeforeTheyAreRead() {
        byte[] longName = "a".repeat(256).getBytes(UTF_8);
        malformed(concat(HDR, varint(256), longName), "responder skill longer than 255");
        malformed(concat(header(0x01, 0xc0, 1, 1), R, varint(256), longName), "initiator identity longer than 255");
        // Announced but not present: refused by the limit, not by truncation.
        malformed(concat(HDR, varint(1L << 40)), "longer than 255");
    }

    @Test
    void metadataOverTheLimitIsMalformed() {
        byte[] tlv = tlv(0x04, new byte[4094]); // 1 + 2 + 4094 = 4097 bytes
        assertEquals(4097, tlv.length);
        malformed(concat(header(0x01, 0xa0, 1, 1), R, varint(tlv.length), tlv), "metadata longer than 4096");
        malformed(concat(header(0x01, 0xa0, 1, 1), R, varint(1L << 61)), "metadata longer than 4096");
    }

    @Test
    void emptyMetadataFieldIsMalformed() {
        malformed(concat(header(0x01, 0xa0, 1, 1), R, varint(0)), "M flag with empty metadata");
    }

    @Test
    void moreThanSixtyFourTlvsIsMalformed() {
        byte[] m = new byte[0];
        for (int i = 0; i < 65; i++) m = concat(m, tlv(0x10, new byte[0]));
        malformed(concat(header(0x01, 0xa0, 1, 1), R, varint(m.length), m), "more than 64 TLVs");
    }

    @Test
    void tlvOverrunningTheMetadataIsMalformed() {
        // TLV says 5 bytes, metadata holds 1 more; bytes after the metadata field do not count.
        malformed(concat(header(0x01, 0xa0, 1, 1), R, varint(3), WireHex.bytes("01 05 07"), new byte[10]),
                "overruns metadata");
    }

    @Test
    void invalidUtf8IsMalformed() {
        for (String bad : new String[] {"ff", "c328", "c080", "eda080", "f4908080", "e282"}) {
            byte[] v = WireHex.bytes(bad);
            malformed(concat(header(0x01, 0xc0, 1, 1), R, varint(v.length), v), "initiator identity is not valid UTF-8");
            malformed(concat(HDR, varint(v.length + 1), "a".getBytes(UTF_8), v), "responder skill is not valid UTF-8");
        }
    }

    @Test
    void invalidSkillNamesAreMalformed() {
        for (String bad : new String[] {"", "A", "a//b", "/a", "a/", "a b", "a.b", "é", "a/" + "b".repeat(64)}) {
            byte[] v = bad.getBytes(UTF_8);
            malformed(concat(HDR, varint(v.length), v), "invalid skill name");
        }
        StringBuilder seventeen = new StringBuilder("a");
        for (int i = 0; i < 16; i++) seventeen.append("/a");
        byte[] v = seventeen.toString().getBytes(UTF_8);
        malformed(concat(HDR, varint(v.length), v), "more than 16 segments");
    }

    @Test
    void payloadAfterSetupIsMalformed() {
        malformed(concat(HDR, R, new byte[] {0}), "unexpected payload");
        malformed(concat(header(0x01, 0xe0, 1, 1), R, varint(1), "i".getBytes(UTF_8), varint(3), tlv(0x01, varint(1)),
                new byte[] {1, 2}), "2 unexpected payload bytes");
        // Without the I flag, an I-shaped field after R is payload too.
        malformed(concat(HDR, R, varint(1), "i".getBytes(UTF_8)), "unexpected payload");
    }

    // ------------------------------------------------------------------ helpers

    static void assertSameTlvs(Metadata expected, Metadata actual) {
        assertEquals(expected.tlvs().size(), actual.tlvs().size());
        for (int i = 0; i < expected.tlvs().size(); i++) {
            assertEquals(expected.tlvs().get(i).type(), actual.tlvs().get(i).type(), "TLV " + i);
            assertArrayEquals(expected.tlvs().get(i).value(), actual.tlvs().get(i).value(), "TLV " + i);
        }
    }

    private static int flagsOf(Setup s) {
        return drain(s.encode(ALLOC))[2] & 0xff;
    }

    private static Setup roundTrip(Setup s) {
        byte[] encoded = drain(s.encode(ALLOC));
        Setup back = decode(encoded);
        assertArrayEquals(encoded, drain(back.encode(ALLOC)), "re-encoding a decoded SETUP gives the same bytes");
        return back;
    }

    static Setup decode(byte[] packet) {
        ByteBuf b = Unpooled.wrappedBuffer(packet);
        try {
            assertEquals(PacketType.SETUP, Header.validate(b));
            return Setup.decode(b);
        } catch (MalformedPacketException e) {
            throw new AssertionError("refused " + hex(packet) + ": " + e.getMessage(), e);
        } finally {
            b.release();
        }
    }

    static void malformed(byte[] packet, String why) {
        ByteBuf b = Unpooled.wrappedBuffer(packet);
        try {
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> {
                Header.validate(b);
                Setup.decode(b);
            }, hex(packet));
            assertTrue(e.getMessage().contains(why), "expected '" + why + "', got '" + e.getMessage() + "'");
            assertFalse(e.getMessage().isEmpty());
        } finally {
            b.release();
        }
    }
}
