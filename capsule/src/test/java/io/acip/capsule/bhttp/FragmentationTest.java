package io.acip.capsule.bhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acip.capsule.CodecException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same bytes give the same events however they are split: whole, one byte at a time, in two at every offset,
 * in random pieces, and from direct or read-only buffers. Round trips cover all four framings.
 */
class FragmentationTest {
    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of("figure 8", RfcExamplesTest.FIGURE_8),
                Arguments.of("figure 9", RfcExamplesTest.FIGURE_9),
                Arguments.of("figure 11", RfcExamplesTest.FIGURE_11),
                Arguments.of("figure 13", RfcExamplesTest.FIGURE_13));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everySplitGivesTheSameEvents(String name, byte[] wire) throws CodecException {
        List<Event> whole = Decoding.whole(wire);
        assertEquals(whole, Decoding.byteByByte(wire));
        for (int cut = 0; cut <= wire.length; cut++) {
            assertEquals(whole, Decoding.split(wire, cut), "split at " + cut);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void directAndReadOnlyBuffersGiveTheSameEvents(String name, byte[] wire) throws CodecException {
        List<Event> whole = Decoding.whole(wire);
        for (boolean direct : new boolean[] {true, false}) {
            Recorder recorder = new Recorder();
            BinaryHttpDecoder decoder = BinaryHttpDecoder.forEither(BinaryHttpLimits.DEFAULT, recorder);
            for (int i = 0; i < wire.length; i += 3) {
                int n = Math.min(3, wire.length - i);
                ByteBuffer piece = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
                piece.put(wire, i, n).flip();
                decoder.decode(direct ? piece : piece.asReadOnlyBuffer());
            }
            decoder.finish();
            assertEquals(whole, recorder.events);
        }
    }

    @Test
    void randomMessagesRoundTripInAllFramingsWhateverTheSplit() throws CodecException {
        Random random = new Random(9292);
        for (int i = 0; i < 2000; i++) {
            Message message = randomMessage(random);
            byte[] wire = message.encode();
            assertEquals(message.events(), Decoding.whole(wire), () -> "message " + message);
            assertEquals(message.events(), Decoding.split(wire, randomCuts(random, wire.length)));
        }
    }

    static int[] randomCuts(Random random, int length) {
        List<Integer> cuts = new ArrayList<>();
        for (int at = random.nextInt(8); at < length; at += 1 + random.nextInt(16)) cuts.add(at);
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    static Message randomMessage(Random random) {
        boolean knownLength = random.nextBoolean();
        List<byte[]> chunks = new ArrayList<>();
        for (int n = random.nextInt(4); n > 0; n--) {
            byte[] chunk = new byte[1 + random.nextInt(random.nextBoolean() ? 8 : 300)];
            random.nextBytes(chunk);
            chunks.add(chunk);
        }
        Fields trailers = random.nextInt(3) == 0 ? randomFields(random, false) : Fields.EMPTY;
        int padding = random.nextInt(4) == 0 ? random.nextInt(20) : 0;
        if (random.nextBoolean()) {
            RequestHead head = new RequestHead(pick(random, "GET", "POST", "PUT", "M-SEARCH"),
                    pick(random, "https", "http", ""), pick(random, "", "example.com", "[::1]:8443"),
                    pick(random, "/", "/a/b?c=d", "*", ""));
            return Message.request(knownLength, head, randomFields(random, true), chunks, trailers, padding);
        }
        List<ResponseHead> informational = new ArrayList<>();
        for (int n = random.nextInt(3); n > 0; n--) {
            informational.add(new ResponseHead(100 + random.nextInt(100), randomFields(random, false)));
        }
        ResponseHead head = new ResponseHead(200 + random.nextInt(400), randomFields(random, true));
        return Message.response(knownLength, informational, head, chunks, trailers, padding);
    }

    static Fields randomFields(Random random, boolean pseudo) {
        List<Field> lines = new ArrayList<>();
        if (pseudo && random.nextInt(5) == 0) lines.add(new Field(":protocol", "connect-udp"));
        for (int n = random.nextInt(5); n > 0; n--) {
            StringBuilder value = new StringBuilder();
            for (int len = random.nextInt(random.nextInt(8) == 0 ? 200 : 12); len > 0; len--) {
                value.append((char) (0x21 + random.nextInt(0xFF - 0x21)));
            }
            lines.add(new Field(pick(random, "a", "Accept", "x-long-header-name-" + random.nextInt(99), "set-cookie"),
                    value.toString()));
        }
        return new Fields(lines);
    }

    @SafeVarargs
    static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }
}
