package io.acip.capsule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CapsuleParserTest {
    // Two DATAGRAM capsules: context 0 + "abc", then context 0 + empty UDP payload; then an unknown type 0x2a with
    // a 3-byte value, then a DATAGRAM whose length uses a non-minimal 2-byte varint (any length is valid on read).
    private static final String STREAM = "00 04 00616263" + "00 01 00" + "2a 03 ffffff" + "00 4002 0078";
    private static final List<String> EVENTS = List.of("0:00616263", "0:00", "skip:2a:3", "0:0078");

    private static RecordingListener parse(byte[] wire, int... cuts) throws CodecException {
        RecordingListener l = new RecordingListener();
        CapsuleParser p = new CapsuleParser(1500, l);
        int from = 0;
        for (int cut : cuts) {
            p.feed(ByteBuffer.wrap(wire, from, cut - from));
            from = cut;
        }
        p.feed(ByteBuffer.wrap(wire, from, wire.length - from));
        p.finish();
        return l;
    }

    @Test
    void severalCapsulesInOneRead() throws CodecException {
        assertEquals(EVENTS, parse(Hex.bytes(STREAM)).events);
    }

    @Test
    void oneByteAtATime() throws CodecException {
        byte[] wire = Hex.bytes(STREAM);
        RecordingListener l = new RecordingListener();
        CapsuleParser p = new CapsuleParser(1500, l);
        for (byte b : wire) {
            p.feed(ByteBuffer.wrap(new byte[] {b}));
        }
        p.finish();
        assertEquals(EVENTS, l.events);
    }

    @Test
    void splitAtEveryOffsetAndEveryPairOfOffsets() throws CodecException {
        byte[] wire = Hex.bytes(STREAM);
        for (int i = 0; i <= wire.length; i++) {
            assertEquals(EVENTS, parse(wire, i).events, "cut at " + i);
            for (int j = i; j <= wire.length; j++) {
                assertEquals(EVENTS, parse(wire, i, j).events, "cuts at " + i + "," + j);
            }
        }
    }

    @Test
    void wholeCapsuleIsDeliveredAsSliceOfInput() throws CodecException {
        ByteBuffer in = Hex.buf("00 04 00616263");
        CapsuleParser p = new CapsuleParser(1500, (type, value) -> {
            assertTrue(value.isReadOnly());
            assertEquals(4, value.remaining());
            // A view: changing the input changes what the value shows.
            in.put(3, (byte) 'z');
            assertEquals('z', value.get(1));
        });
        p.feed(in);
    }

    @Test
    void unknownTypeIsSkippedWithoutBufferingEvenWhenHuge() throws CodecException {
        RecordingListener l = new RecordingListener();
        CapsuleParser p = new CapsuleParser(16, l);
        // Unknown type 0x1234 (2-byte varint) declaring 1 GiB (8-byte varint: 2^30 needs it), fed in 64 KiB slices of zeros.
        p.feed(Hex.buf("5234 c000000040000000"));
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
        for (int i = 0; i < (1 << 30) / chunk.capacity(); i++) {
            p.feed(chunk.clear());
        }
        assertTrue(p.atBoundary());
        p.feed(Hex.buf("00 01 00"));
        p.finish();
        assertEquals(List.of("skip:1234:1073741824", "0:00"), l.events);
    }

    @Test
    void truncatedValueAtEndOfStreamIsMalformed() throws CodecException {
        CapsuleParser p = new CapsuleParser(1500, new RecordingListener());
        p.feed(Hex.buf("00 04 0061"));
        assertFalse(p.atBoundary());
        assertThrows(CodecException.class, p::finish);
    }

    @Test
    void truncatedHeaderAtEndOfStreamIsMalformed() throws CodecException {
        for (String hex : new String[] {"40", "00", "00 40", "2a 80 00"}) {
            CapsuleParser p = new CapsuleParser(1500, new RecordingListener());
            p.feed(Hex.buf(hex));
            assertThrows(CodecException.class, p::finish, hex);
        }
    }

    @Test
    void overlongWantedCapsuleRefusedBeforeAllocation() {
        CapsuleParser p = new CapsuleParser(1500, new RecordingListener());
        // DATAGRAM declaring 2^62 - 1 bytes: refused from the header alone.
        CodecException e = assertThrows(CodecException.class, () -> p.feed(Hex.buf("00 ffffffffffffffff")));
        assertTrue(e.getMessage().contains("exceeds limit"), e.getMessage());
        // One byte over the bound is refused too; exactly the bound is accepted.
        assertThrows(CodecException.class, () -> new CapsuleParser(3, new RecordingListener()).feed(Hex.buf("00 04")));
    }

    @Test
    void capsuleAtExactBoundIsAccepted() throws CodecException {
        RecordingListener l = new RecordingListener();
        new CapsuleParser(4, l).feed(Hex.buf("00 04 00616263"));
        assertEquals(List.of("0:00616263"), l.events);
    }

    @Test
    void emptyStreamEndsCleanly() throws CodecException {
        new CapsuleParser(1500, new RecordingListener()).finish();
    }

    @Test
    void zeroLengthCapsuleOfWantedType() throws CodecException {
        assertEquals(List.of("0:"), parse(Hex.bytes("00 00")).events);
    }

    @Test
    void datagramEncodingMatchesVector() {
        ByteBuffer dst = ByteBuffer.allocate(Capsule.datagramLength(0, 3));
        Capsule.writeDatagram(dst, 0, ByteBuffer.wrap("abc".getBytes()));
        assertEquals("0004" + "00616263", Hex.of(dst.flip()));
        assertEquals("0004" + "00616263", Hex.of(Capsule.datagram(DatagramPayload.udp(ByteBuffer.wrap("abc".getBytes()))).encode()));
        // A 1200-byte payload needs a 2-byte length varint (1201 = 0x44b1).
        ByteBuffer big = ByteBuffer.allocate(Capsule.datagramLength(0, 1200));
        Capsule.writeDatagram(big, 0, ByteBuffer.allocate(1200));
        assertEquals(1 + 2 + 1 + 1200, big.position());
        assertEquals("0044b100", Hex.of(big.flip().limit(4)));
    }

    @Test
    void encodeThenParseRoundTripsEveryLengthClass() throws CodecException {
        for (int len : new int[] {0, 1, 62, 63, 64, 16382, 16383, 16384, 70000}) {
            ByteBuffer payload = ByteBuffer.allocate(len);
            new Random(len).nextBytes(payload.array());
            ByteBuffer wire = new Capsule(0x2b, payload).encode();
            CapsuleParser p = new CapsuleParser(1 << 20, new CapsuleListener() {
                @Override
                public boolean wants(long type) {
                    return true;
                }

                @Override
                public void onCapsule(long type, ByteBuffer value) {
                    assertEquals(0x2b, type);
                    assertEquals(payload, value);
                }
            });
            p.feed(wire);
            assertTrue(p.atBoundary());
        }
    }

    @Test
    void listenerErrorPropagatesAndParserStaysConsistent() {
        CapsuleParser p = new CapsuleParser(1500, (type, value) -> {
            throw new CodecException("listener refused");
        });
        assertThrows(CodecException.class, () -> p.feed(Hex.buf("00 01 00")));
        assertTrue(p.atBoundary());
    }
}
