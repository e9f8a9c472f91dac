package io.acip.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Varints on packet buffers (docs/acip-v0.md §1, RFC 9000 §16): shortest written, any length read. */
class WireVarIntTest {

    @ParameterizedTest
    @CsvSource({
            "0, 00", "63, 3f", "64, 4040", "16383, 7fff", "16384, 80004000", "1073741823, bfffffff",
            "1073741824, c000000040000000", "4611686018427387903, ffffffffffffffff"})
    void writesTheShortestFormAndReadsItBack(long value, String hex) throws MalformedPacketException {
        ByteBuf b = Unpooled.buffer();
        try {
            WireVarInt.write(b, value);
            assertEquals(hex, ByteBufUtil.hexDump(b));
            assertEquals(value, WireVarInt.read(b, "x"));
            assertEquals(0, b.readableBytes());
        } finally {
            b.release();
        }
    }

    @Test
    void readsLongerFormsThanNeeded() throws MalformedPacketException {
        ByteBuf b = WireHex.buf("4005 80000005 c000000000000005");
        try {
            for (int i = 0; i < 3; i++) assertEquals(5, WireVarInt.read(b, "x"));
        } finally {
            b.release();
        }
    }

    @Test
    void truncatedVarintIsMalformedAndNamesTheField() {
        for (String hex : new String[] {"", "40", "800000", "c0000000000000"}) {
            ByteBuf b = WireHex.buf(hex);
            try {
                MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> WireVarInt.read(b, "TLV type"));
                assertTrue(e.getMessage().contains("truncated TLV type"), e.getMessage());
                assertEquals(0, b.readerIndex(), "nothing consumed");
            } finally {
                b.release();
            }
        }
    }

    @Test
    void valuesOutOfRangeCannotBeWritten() {
        ByteBuf b = Unpooled.buffer();
        try {
            assertThrows(IllegalArgumentException.class, () -> WireVarInt.write(b, -1));
            assertThrows(IllegalArgumentException.class, () -> WireVarInt.write(b, 1L << 62));
        } finally {
            b.release();
        }
    }
}
