package io.acip.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fixed header (docs/acip-v0.md §3.1, §3.2): what every node checks on every packet, and in-place rewrites. */
class HeaderTest {
    /** §3.2, written out again here rather than taken from {@link Flags}: the flags each type may carry. */
    private static final Map<PacketType, Integer> ALLOWED = Map.of(
            PacketType.SETUP, 0x80 | 0x40 | 0x20 | 0x08,
            PacketType.SETUP_ACK, 0x20,
            PacketType.DATA, 0x01,
            PacketType.DGRAM, 0x00,
            PacketType.CLOSE, 0x00,
            PacketType.RESET, 0x20,
            PacketType.PING, 0x02,
            PacketType.OPEN, 0x00,
            PacketType.UPDATE, 0x00,
            PacketType.NOTIFICATION, 0x00);

    @Test
    void typeCodesAreTheSpecs() {
        assertEquals(0x01, PacketType.SETUP.code);
        assertEquals(0x02, PacketType.SETUP_ACK.code);
        assertEquals(0x03, PacketType.DATA.code);
        assertEquals(0x04, PacketType.DGRAM.code);
        assertEquals(0x05, PacketType.CLOSE.code);
        assertEquals(0x08, PacketType.OPEN.code); // §12
        assertEquals(0x09, PacketType.UPDATE.code);
        assertEquals(0x0a, PacketType.NOTIFICATION.code);
        assertEquals(0x06, PacketType.RESET.code);
        assertEquals(0x07, PacketType.PING.code);
        for (PacketType t : PacketType.values()) assertEquals(t == PacketType.DATA || t == PacketType.DGRAM, t.sealed());
    }

    @Test
    void writeLaysOutVersionTypeFlagsHopLimitLabel() {
        ByteBuf b = Unpooled.buffer();
        try {
            Header.write(b, PacketType.DATA, Flags.FIN, 7, 0xdeadbeef);
            assertEquals("00030107deadbeef", ByteBufUtil.hexDump(b));
        } finally {
            b.release();
        }
    }

    @Test
    void packetShorterThanEightBytesIsMalformed() {
        byte[] close = WireHex.bytes("00 05 00 00 00000001");
        for (int n = 0; n < Header.LENGTH; n++) {
            ByteBuf b = Unpooled.wrappedBuffer(close, 0, n);
            try {
                MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> Header.validate(b));
                assertTrue(e.getMessage().contains("shorter than the fixed header"), e.getMessage());
            } finally {
                b.release();
            }
        }
        ByteBuf whole = Unpooled.wrappedBuffer(close);
        try {
            assertEquals(PacketType.CLOSE, assertValid(whole));
        } finally {
            whole.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x02, 0x7f, 0x80, 0xff})
    void versionOtherThanZeroIsMalformed(int version) {
        ByteBuf b = Unpooled.wrappedBuffer(WireHex.header(0x05, 0, 0, 1));
        b.setByte(0, version);
        try {
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> Header.validate(b));
            assertTrue(e.getMessage().contains("version"), e.getMessage());
        } finally {
            b.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x0b, 0x0c, 0x10, 0x7f, 0x80, 0xff})
    void unknownTypeIsMalformed(int type) {
        ByteBuf b = Unpooled.wrappedBuffer(WireHex.header(type, 0, 0, 1));
        try {
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> Header.validate(b));
            assertTrue(e.getMessage().contains("unknown packet type"), e.getMessage());
        } finally {
            b.release();
        }
    }

    @Test
    void eachTypeTakesExactlyItsFlags() {
        for (PacketType type : PacketType.values()) {
            for (int bit = 0; bit < 8; bit++) {
                int flag = 1 << bit;
                ByteBuf b = Unpooled.wrappedBuffer(WireHex.header(type.code, flag, 0, 1));
                try {
                    if ((ALLOWED.get(type) & flag) != 0) {
                        assertEquals(type, assertValid(b), type + " may carry 0x" + Integer.toHexString(flag));
                    } else {
                        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> Header.validate(b),
                                type + " must not carry 0x" + Integer.toHexString(flag));
                        assertTrue(e.getMessage().contains("flags"), e.getMessage());
                    }
                } finally {
                    b.release();
                }
            }
            ByteBuf all = Unpooled.wrappedBuffer(WireHex.header(type.code, ALLOWED.get(type), 0, 1));
            try {
                assertEquals(type, assertValid(all), type + " with all its flags at once");
            } finally {
                all.release();
            }
        }
    }

    @Test
    void validateNeitherConsumesNorCaresAboutTheHopLimitOfOtherTypes() throws MalformedPacketException {
        ByteBuf b = Unpooled.wrappedBuffer(WireHex.header(0x05, 0, 0xff, 1));
        try {
            assertEquals(PacketType.CLOSE, Header.validate(b));
            assertEquals(0, b.readerIndex());
        } finally {
            b.release();
        }
    }

    @Test
    void accessorsReadAtTheReaderIndex() throws MalformedPacketException {
        ByteBuf b = Unpooled.wrappedBuffer(WireHex.bytes("ffffff" + "00 03 01 09 12345678" + "aa"));
        try {
            b.readerIndex(3);
            assertEquals(PacketType.DATA, Header.validate(b));
            assertEquals(0, Header.version(b));
            assertEquals(3, Header.typeCode(b));
            assertEquals(Flags.FIN, Header.flags(b));
            assertEquals(9, Header.hopLimit(b));
            assertEquals(0x12345678, Header.label(b));
        } finally {
            b.release();
        }
    }

    /** §2.3: a transit node swaps the label in place; everything else of the packet stays as it was. */
    @Test
    void setLabelTouchesOnlyBytesFourToSeven() {
        ByteBuf packet = sealedLookingPacket();
        try {
            packet.readerIndex(5); // say a length prefix and more were in front of it
            byte[] before = ByteBufUtil.getBytes(packet, 0, packet.writerIndex());
            Header.setLabel(packet, 0x0a0b0c0d);
            byte[] after = ByteBufUtil.getBytes(packet, 0, packet.writerIndex());
            assertEquals(before.length, after.length);
            for (int i = 0; i < after.length; i++) {
                int inPacket = i - 5;
                if (inPacket >= 4 && inPacket < 8) continue;
                assertEquals(before[i], after[i], "byte " + i + " changed");
            }
            assertArrayEquals(new byte[] {0x0a, 0x0b, 0x0c, 0x0d}, java.util.Arrays.copyOfRange(after, 9, 13));
            assertEquals(0x0a0b0c0d, Header.label(packet));
            assertEquals(5, packet.readerIndex());
            assertEquals(before.length, packet.writerIndex());
        } finally {
            packet.release();
        }
    }

    @Test
    void setHopLimitTouchesOnlyByteThree() {
        ByteBuf packet = sealedLookingPacket();
        try {
            byte[] before = ByteBufUtil.getBytes(packet);
            Header.setHopLimit(packet, 200);
            byte[] after = ByteBufUtil.getBytes(packet);
            for (int i = 0; i < after.length; i++) {
                if (i != 3) assertEquals(before[i], after[i], "byte " + i + " changed");
            }
            assertEquals(200, Header.hopLimit(packet));
        } finally {
            packet.release();
        }
    }

    private static ByteBuf sealedLookingPacket() {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer();
        for (int i = 0; i < 5; i++) b.writeByte(0xee);
        Header.write(b, PacketType.DATA, Flags.FIN, 0, 0x8000_0001);
        for (int i = 0; i < 40; i++) b.writeByte(i * 7);
        return b;
    }

    private static PacketType assertValid(ByteBuf b) {
        try {
            return Header.validate(b);
        } catch (MalformedPacketException e) {
            throw new AssertionError("refused: " + e.getMessage(), e);
        }
    }
}
