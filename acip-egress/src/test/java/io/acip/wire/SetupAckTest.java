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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SETUP_ACK (docs/acip-v0.md §5.2). */
class SetupAckTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @Test
    void withoutMetadataItIsTheHeaderAlone() {
        assertEquals("0002000000000009", hex(drain(new SetupAck(9, Metadata.EMPTY).encode(ALLOC))));
    }

    @Test
    void metadataSetsMAndFollowsTheHeader() {
        SetupAck ack = new SetupAck(0x8000_0001, Metadata.of(Tlv.ofString(TlvType.SELECTED_INSTANCE, "i-1")));
        assertEquals(hex(concat(header(0x02, 0x20, 0, 0x8000_0001), varint(5), tlv(0x08, "i-1".getBytes(UTF_8)))),
                hex(drain(ack.encode(ALLOC))));
    }

    @Test
    void roundTripKeepsLabelAndTlvsInOrder() throws MalformedPacketException {
        Metadata m = Metadata.of(new Tlv(TlvType.KEY_SHARE, new byte[32]), Tlv.ofString(TlvType.SELECTED_INSTANCE, "x"),
                new Tlv(TlvType.SKILL_CERTIFICATE, new byte[600]), new Tlv(TlvType.SKILL_PROOF, new byte[72]),
                new Tlv(0x22, new byte[] {7}), Tlv.ofString(TlvType.TRAJECTORY, "far"));
        byte[] encoded = drain(new SetupAck(77, m).encode(ALLOC));
        SetupAck back = decode(encoded);
        assertEquals(77, back.label());
        SetupTest.assertSameTlvs(m, back.metadata());
        assertArrayEquals(encoded, drain(back.encode(ALLOC)));
    }

    /** §6.2: every node that passes a SETUP_ACK on appends itself; nothing else changes. */
    @Test
    void forwardedAppendsTrajectoryAndTakesTheNewLabel() {
        SetupAck ack = new SetupAck(3, Metadata.of(Tlv.ofString(TlvType.SELECTED_INSTANCE, "x"),
                Tlv.ofString(TlvType.TRAJECTORY, "far")));
        SetupAck out = ack.forwarded(0x8000_0004, "transit");
        assertEquals(0x8000_0004, out.label());
        assertEquals(List.of("far", "transit"), out.metadata().trajectory());
        assertEquals("x", out.metadata().string(TlvType.SELECTED_INSTANCE).orElseThrow());
        assertEquals(List.of("far"), ack.metadata().trajectory(), "the original is unchanged");
        assertEquals(List.of("edge"), new SetupAck(0, Metadata.EMPTY).forwarded(0, "edge").metadata().trajectory());
    }

    @Test
    void malformedSetupAcks() {
        malformed(concat(header(0x02, 0, 0, 1), new byte[] {0}), "unexpected payload");
        malformed(concat(header(0x02, 0x20, 0, 1), varint(0)), "M flag with empty metadata");
        malformed(header(0x02, 0x20, 0, 1), "truncated metadata length");
        malformed(concat(header(0x02, 0x20, 0, 1), varint(9), tlv(0x08, new byte[2])), "truncated metadata");
        malformed(concat(header(0x02, 0x20, 0, 1), varint(4), tlv(0x08, new byte[2]), new byte[] {1}),
                "unexpected payload");
        malformed(concat(header(0x02, 0x20, 0, 1), varint(2), WireHex.bytes("08 05")), "overruns metadata");
        malformed(concat(header(0x02, 0xa0, 0, 1), varint(2), WireHex.bytes("08 00")), "flags");
    }

    /** decode() may be called without Header.validate before it: a buffer shorter than the header is refused. */
    @Test
    void shorterThanTheFixedHeaderIsMalformed() {
        byte[] full = header(0x02, 0, 0, 1);
        for (int len = 0; len < Header.LENGTH; len++) {
            ByteBuf b = Unpooled.wrappedBuffer(java.util.Arrays.copyOf(full, len));
            try {
                MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> SetupAck.decode(b),
                        len + " bytes");
                assertTrue(e.getMessage().contains("shorter than the fixed header"), e.getMessage());
            } finally {
                b.release();
            }
        }
    }

    private static SetupAck decode(byte[] packet) throws MalformedPacketException {
        ByteBuf b = Unpooled.wrappedBuffer(packet);
        try {
            assertEquals(PacketType.SETUP_ACK, Header.validate(b));
            SetupAck ack = SetupAck.decode(b);
            assertEquals(0, b.readerIndex(), "decode does not consume");
            return ack;
        } finally {
            b.release();
        }
    }

    private static void malformed(byte[] packet, String why) {
        ByteBuf b = Unpooled.wrappedBuffer(packet);
        try {
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> {
                Header.validate(b);
                SetupAck.decode(b);
            }, hex(packet));
            assertTrue(e.getMessage().contains(why), "expected '" + why + "', got '" + e.getMessage() + "'");
        } finally {
            b.release();
        }
    }
}
