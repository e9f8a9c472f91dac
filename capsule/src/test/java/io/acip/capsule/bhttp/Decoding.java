package io.acip.capsule.bhttp;

import io.acip.capsule.CodecException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/** Feeds bytes to a fresh decoder in the pieces a test chooses and returns what it reported. */
final class Decoding {
    private Decoding() {
    }

    static List<Event> whole(byte[] wire) throws CodecException {
        return split(wire, new int[0]);
    }

    static List<Event> byteByByte(byte[] wire) throws CodecException {
        int[] cuts = new int[Math.max(0, wire.length - 1)];
        for (int i = 0; i < cuts.length; i++) cuts[i] = i + 1;
        return split(wire, cuts);
    }

    /** Decodes {@code wire} fed as pieces ending at each of the ascending offsets {@code cuts}, then the rest. */
    static List<Event> split(byte[] wire, int... cuts) throws CodecException {
        Recorder recorder = new Recorder();
        BinaryHttpDecoder decoder = BinaryHttpDecoder.forEither(BinaryHttpLimits.DEFAULT, recorder);
        int from = 0;
        for (int cut : cuts) {
            decoder.decode(ByteBuffer.wrap(Arrays.copyOfRange(wire, from, cut)));
            from = cut;
        }
        decoder.decode(ByteBuffer.wrap(Arrays.copyOfRange(wire, from, wire.length)));
        decoder.finish();
        return recorder.events;
    }
}
