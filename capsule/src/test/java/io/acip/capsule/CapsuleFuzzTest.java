package io.acip.capsule;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random and mutated bytes may only ever produce the codec's own {@link CodecException}. */
class CapsuleFuzzTest {
    private static final byte[] SEED = Hex.bytes("00 04 00616263" + "2a 03 ffffff" + "00 4002 0078");

    @Test
    void randomAndMutatedInputsOnlyRaiseCodecException() {
        Random rnd = new Random(9297);
        for (int i = 0; i < 50_000; i++) {
            byte[] in = i % 2 == 0 ? random(rnd) : mutate(rnd, SEED.clone());
            CapsuleParser p = new CapsuleParser(rnd.nextInt(64), new RecordingListener() {
                @Override
                public boolean wants(long type) {
                    return (type & 1) == 0;
                }
            });
            try {
                int at = 0;
                while (at < in.length) {
                    int n = 1 + rnd.nextInt(in.length - at);
                    p.feed(ByteBuffer.wrap(in, at, n));
                    at += n;
                }
                p.finish();
                if (in.length > 0) DatagramPayload.parse(ByteBuffer.wrap(in));
            } catch (CodecException expected) {
                // the only acceptable failure
            } catch (RuntimeException e) {
                fail("input " + Hex.of(ByteBuffer.wrap(in)) + " raised " + e, e);
            }
        }
    }

    private static byte[] random(Random rnd) {
        byte[] b = new byte[rnd.nextInt(40)];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] mutate(Random rnd, byte[] b) {
        for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        }
        return b;
    }
}
