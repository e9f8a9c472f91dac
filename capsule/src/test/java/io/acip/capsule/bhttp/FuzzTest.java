package io.acip.capsule.bhttp;

import static org.junit.jupiter.api.Assertions.fail;

import io.acip.capsule.CodecException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Whatever bytes arrive, split however, the decoder reports or raises {@link CodecException}, and nothing else. */
class FuzzTest {
    static final int CASES = 20_000;

    @Test
    void randomBytesRaiseOnlyCodecException() {
        Random random = new Random(0x9292);
        for (int i = 0; i < CASES / 2; i++) {
            byte[] wire = new byte[random.nextInt(96)];
            random.nextBytes(wire);
            // Mostly a valid framing indicator, so the fuzzing reaches past the first byte.
            if (wire.length > 0 && random.nextInt(4) != 0) wire[0] = (byte) random.nextInt(4);
            survive(wire, random, i);
        }
    }

    @Test
    void mutatedMessagesRaiseOnlyCodecException() {
        Random random = new Random(0x1f);
        List<byte[]> seeds = List.of(RfcExamplesTest.FIGURE_8, RfcExamplesTest.FIGURE_9, RfcExamplesTest.FIGURE_11,
                RfcExamplesTest.FIGURE_13);
        for (int i = 0; i < CASES / 2; i++) {
            byte[] wire = i % 2 == 0 ? seeds.get(random.nextInt(seeds.size()))
                    : FragmentationTest.randomMessage(random).encode();
            survive(mutate(wire, random), random, i);
        }
    }

    static byte[] mutate(byte[] wire, Random random) {
        byte[] out = wire.clone();
        for (int n = 1 + random.nextInt(4); n > 0 && out.length > 0; n--) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(6)) {
                case 0 -> out[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> out[at] = (byte) random.nextInt(256);
                case 2 -> out[at] = (byte) (0xC0 | random.nextInt(64)); // a long varint where a short one was
                case 3 -> out = Arrays.copyOf(out, at); // truncate
                case 4 -> { // delete one byte
                    byte[] shorter = new byte[out.length - 1];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
                    out = shorter;
                }
                default -> { // insert one byte
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }

    static void survive(byte[] wire, Random random, int index) {
        BinaryHttpLimits limits = random.nextBoolean() ? BinaryHttpLimits.DEFAULT : new BinaryHttpLimits(200, 40);
        BinaryHttpDecoder decoder = BinaryHttpDecoder.forEither(limits, new Recorder());
        try {
            int from = 0;
            for (int cut : FragmentationTest.randomCuts(random, wire.length)) {
                decoder.decode(ByteBuffer.wrap(wire, from, cut - from));
                from = cut;
            }
            decoder.decode(ByteBuffer.wrap(wire, from, wire.length - from));
            decoder.finish();
        } catch (CodecException expected) {
            // the one error a decoder may raise
        } catch (Throwable t) {
            fail("case " + index + " (" + Hex.of(wire) + ") threw " + t, t);
        }
    }
}
