package io.acip.capsule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DatagramPayloadTest {

    @Test
    void contextZeroIsUdpPayload() throws CodecException {
        ByteBuffer wire = Hex.buf("00 deadbeef");
        DatagramPayload p = DatagramPayload.parse(wire);
        assertTrue(p.isUdpPayload());
        assertEquals("deadbeef", Hex.of(p.data()));
        assertEquals(0, wire.position(), "parse leaves the source alone");
    }

    @Test
    void otherContextsAreSurfacedForTheCallerToDrop() throws CodecException {
        DatagramPayload p = DatagramPayload.parse(Hex.buf("4040 0102"));
        assertFalse(p.isUdpPayload());
        assertEquals(64, p.contextId());
        assertEquals("0102", Hex.of(p.data()));
    }

    @Test
    void emptyUdpPayloadIsValid() throws CodecException {
        DatagramPayload p = DatagramPayload.parse(Hex.buf("00"));
        assertTrue(p.isUdpPayload());
        assertEquals(0, p.data().remaining());
    }

    @Test
    void missingOrTruncatedContextIdIsMalformed() {
        assertThrows(CodecException.class, () -> DatagramPayload.parse(Hex.buf("")));
        assertThrows(CodecException.class, () -> DatagramPayload.parse(Hex.buf("80 00")));
    }

    @Test
    void encodesContextIdMinimally() {
        DatagramPayload p = new DatagramPayload(64, Hex.buf("ff"));
        ByteBuffer out = ByteBuffer.allocate(p.encodedLength());
        p.writeTo(out);
        assertEquals("4040ff", Hex.of(out.flip()));
    }
}
