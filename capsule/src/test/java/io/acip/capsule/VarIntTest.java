package io.acip.capsule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VarIntTest {

    // RFC 9000 Appendix A.1 sample encodings; the 2-byte encoding of 37 is the non-minimal one the RFC shows.
    @ParameterizedTest
    @CsvSource({
        "c2197c5eff14e88c, 151288809941952652",
        "9d7f3e7d, 494878333",
        "7bbd, 15293",
        "25, 37",
        "4025, 37",
    })
    void readsRfc9000SampleEncodings(String hex, long value) throws CodecException {
        ByteBuffer b = Hex.buf(hex);
        assertEquals(value, VarInt.read(b));
        assertEquals(0, b.remaining());
    }

    @ParameterizedTest
    @CsvSource({
        "0, 00", "63, 3f", "64, 4040", "16383, 7fff", "16384, 80004000",
        "1073741823, bfffffff", "1073741824, c000000040000000", "4611686018427387903, ffffffffffffffff",
        "151288809941952652, c2197c5eff14e88c", "494878333, 9d7f3e7d", "15293, 7bbd", "37, 25",
    })
    void writesShortestForm(long value, String hex) {
        ByteBuffer b = ByteBuffer.allocate(8);
        VarInt.write(b, value);
        assertEquals(hex, Hex.of(b.flip()));
        assertEquals(hex.length() / 2, VarInt.length(value));

        byte[] a = new byte[9];
        int end = VarInt.write(a, 1, value);
        assertEquals(1 + hex.length() / 2, end);
        assertEquals(hex, Hex.of(ByteBuffer.wrap(a, 1, end - 1)));
    }

    @Test
    void refusesValuesOutsideRange() {
        assertThrows(IllegalArgumentException.class, () -> VarInt.length(-1));
        assertThrows(IllegalArgumentException.class, () -> VarInt.length(VarInt.MAX + 1));
    }

    @Test
    void incompleteLeavesPositionAlone() {
        for (String hex : new String[] {"", "40", "80 00 00", "c0 00 00 00 00 00 00"}) {
            ByteBuffer b = Hex.buf(hex);
            assertEquals(VarInt.INCOMPLETE, VarInt.tryRead(b));
            assertEquals(0, b.position());
            assertThrows(CodecException.class, () -> VarInt.read(Hex.buf(hex)));
        }
    }

    @Test
    void encodedLengthFromFirstByte() {
        assertEquals(1, VarInt.encodedLength((byte) 0x3f));
        assertEquals(2, VarInt.encodedLength((byte) 0x40));
        assertEquals(4, VarInt.encodedLength((byte) 0x80));
        assertEquals(8, VarInt.encodedLength((byte) 0xff));
    }
}
