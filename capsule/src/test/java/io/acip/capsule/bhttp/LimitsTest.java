package io.acip.capsule.bhttp;

import static io.acip.capsule.bhttp.Wire.known;
import static io.acip.capsule.bhttp.Wire.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.acip.capsule.CodecException;
import io.acip.capsule.VarInt;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * RFC 9292 §8: bounded resources whatever a peer declares. Each over-bound length is refused as soon as it is read,
 * before the bytes it announces are waited for or allocated: every test here feeds the length and nothing after it.
 */
class LimitsTest {
    static final BinaryHttpLimits SMALL = new BinaryHttpLimits(1024, 100);

    static void decode(BinaryHttpLimits limits, byte[] wire) throws CodecException {
        BinaryHttpDecoder decoder = BinaryHttpDecoder.forEither(limits, new Recorder());
        decoder.decode(ByteBuffer.wrap(wire));
    }

    @Test
    void fieldLineOverTheLimitIsRefusedAtItsNameLength() {
        assertThrows(CodecException.class, () -> decode(SMALL, of(2, "GET", "https", "", "/", 101)));
    }

    @Test
    void fieldLineOverTheLimitIsRefusedAtItsValueLength() {
        assertThrows(CodecException.class, () -> decode(SMALL, of(2, "GET", "https", "", "/", "name", 97)));
    }

    @Test
    void fieldLineAtTheLimitIsAccepted() throws CodecException {
        decode(SMALL, of(2, "GET", "https", "", "/", "name", "v".repeat(96), 0, 0, 0));
    }

    @Test
    void hugeDeclaredLengthsAreRefusedWithoutWaitingOrAllocating() {
        for (byte[] wire : List.of(
                of(2, "GET", "https", "", "/", VarInt.MAX),
                of(2, "GET", "https", "", "/", "name", VarInt.MAX),
                of(0, "GET", "https", "", "/", VarInt.MAX),
                of(0, VarInt.MAX),
                of(0, "GET", "https", "", VarInt.MAX),
                of(1, 200, VarInt.MAX))) {
            assertThrows(CodecException.class, () -> decode(BinaryHttpLimits.DEFAULT, wire));
        }
    }

    @Test
    void knownLengthSectionOverTheLimitIsRefusedAtItsLength() {
        assertThrows(CodecException.class, () -> decode(SMALL, of(1, 200, 1025)));
    }

    @Test
    void indeterminateSectionOverTheLimitIsRefused() {
        // 32 octets per line plus name and value (RFC 9113 §6.5.2): 1024 / (32 + 2 + 2) = 28 lines fit.
        List<Object> parts = new ArrayList<>(List.of(3, 200));
        for (int i = 0; i < 29; i++) {
            parts.add("n" + (char) ('a' + i % 26));
            parts.add("vv");
        }
        assertThrows(CodecException.class, () -> decode(SMALL, of(parts.toArray())));
    }

    @Test
    void manyTinyLinesCountAgainstTheSectionLimit() {
        // One-byte names, empty values: 3 wire bytes a line, 33 octets charged, so no flood of lines gets through.
        List<Object> parts = new ArrayList<>(List.of(3, 200));
        for (int i = 0; i < 32; i++) {
            parts.add("a");
            parts.add("");
        }
        assertThrows(CodecException.class, () -> decode(SMALL, of(parts.toArray())));
    }

    @Test
    void sectionAtTheLimitIsAccepted() throws CodecException {
        List<Object> parts = new ArrayList<>(List.of(3, 200));
        for (int i = 0; i < 28; i++) {
            parts.add("n" + (char) ('a' + i % 26));
            parts.add("vv");
        }
        parts.addAll(List.of(0, 0, 0));
        decode(SMALL, of(parts.toArray()));
    }

    @Test
    void controlDataCountsAgainstTheHeaderSection() throws CodecException {
        // Four strings charged 32 octets each plus their bytes: 4 * 32 + 3 + 5 + 11 + 1 = 148.
        BinaryHttpLimits limits = new BinaryHttpLimits(148 + 36, 100);
        decode(limits, of(0, "GET", "https", "example.com", "/", known("ab", "cd"), 0, 0));
        assertThrows(CodecException.class,
                () -> decode(limits, of(0, "GET", "https", "example.com", "/", known("ab", "cde"), 0, 0)));
    }

    @Test
    void controlDataStringOverTheLineLimitIsRefused() {
        assertThrows(CodecException.class, () -> decode(SMALL, of(0, "GET", "https", "", 101)));
    }

    @Test
    void trailersHaveTheirOwnBound() throws CodecException {
        Recorder recorder = new Recorder();
        BinaryHttpDecoder decoder = BinaryHttpDecoder.forEither(SMALL, recorder);
        List<Object> parts = new ArrayList<>(List.of(3, 200));
        for (int i = 0; i < 28; i++) parts.addAll(List.of("n" + (char) ('a' + i % 26), "vv"));
        parts.addAll(List.of(0, 0));
        for (int i = 0; i < 28; i++) parts.addAll(List.of("n" + (char) ('a' + i % 26), "vv"));
        parts.add(0);
        decoder.decode(ByteBuffer.wrap(of(parts.toArray())));
        assertEquals(new Event.Complete(), recorder.events.get(recorder.events.size() - 1));
    }
}
