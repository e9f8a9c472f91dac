package io.acip.wire;

import static io.acip.wire.WireHex.concat;
import static io.acip.wire.WireHex.drain;
import static io.acip.wire.WireHex.header;
import static io.acip.wire.WireHex.hex;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** CLOSE (§5.4), PING (§5.6) and the sealed layout's lengths (§5.3) of docs/acip-v0.md. */
class PacketsTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @Test
    void closeIsAHeaderWithNothingElse() {
        assertEquals("0005000080000001", hex(drain(Packets.close(ALLOC, 0x8000_0001))));
    }

    @Test
    void closeWithAPayloadIsMalformed() {
        withBuf(header(0x05, 0, 0, 1), b -> assertDoesNotThrow(() -> Packets.requireEmpty(b, PacketType.CLOSE)));
        withBuf(concat(header(0x05, 0, 0, 1), new byte[1]),
                b -> assertThrows(MalformedPacketException.class, () -> Packets.requireEmpty(b, PacketType.CLOSE)));
    }

    @Test
    void pingCarriesEightOpaqueBytesAndPongSetsItsFlag() {
        assertEquals("0007000000000000" + "fedcba9876543210",
                hex(drain(Packets.ping(ALLOC, 0, false, 0xfedc_ba98_7654_3210L))));
        assertEquals("0007020000000009" + "0000000000000001", hex(drain(Packets.ping(ALLOC, 9, true, 1))));
        withBuf(concat(header(0x07, 0x02, 0, 0), WireHex.bytes("0102030405060708")),
                b -> assertEquals(0x0102030405060708L, assertDoesNotThrow(() -> Packets.pingOpaque(b))));
    }

    @Test
    void pingPayloadOtherThanEightBytesIsMalformed() {
        for (int n : new int[] {0, 7, 9, 16}) {
            withBuf(concat(header(0x07, 0, 0, 0), new byte[n]),
                    b -> assertThrows(MalformedPacketException.class, () -> Packets.pingOpaque(b), n + " bytes"));
        }
    }

    @Test
    void sealedPacketLengthBounds() {
        assertEquals(32, Sealed.OVERHEAD);
        assertEquals(16, Sealed.ciphertextOffset());
        withBuf(new byte[31], b -> assertThrows(MalformedPacketException.class, () -> Sealed.validate(b)));
        withBuf(new byte[32], b -> assertDoesNotThrow(() -> Sealed.validate(b)));
        withBuf(new byte[32 + Limits.MAX_DATA_PLAINTEXT], b -> assertDoesNotThrow(() -> Sealed.validate(b)));
        withBuf(new byte[33 + Limits.MAX_DATA_PLAINTEXT],
                b -> assertThrows(MalformedPacketException.class, () -> Sealed.validate(b)));
    }

    @Test
    void packetNumberIsTheEightBytesAfterTheHeader() {
        withBuf(concat(header(0x03, 0, 0, 1), WireHex.bytes("0000000000000102"), new byte[16]),
                b -> assertEquals(0x102, Sealed.packetNumber(b)));
    }

    private static void withBuf(byte[] bytes, Consumer<ByteBuf> check) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        try {
            check.accept(b);
        } finally {
            b.release();
        }
    }
}
