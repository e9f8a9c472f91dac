package io.acip.capsule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.acip.capsule.fuzz.AllocationBudget;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * The capsule stream parser (RFC 9297 §3.2) under Jazzer. Input: one option byte (capsule length limit, which types
 * the listener wants, how the stream is split into feeds), then the stream. Contract: the parser delivers capsules or
 * raises {@link CodecException}, nothing else; the same bytes split differently give the same capsules and the same
 * outcome; what it delivers re-encodes into a stream that parses to the same; memory stays within the input's size
 * plus the length limit. HTTP Datagram payloads (RFC 9297 §2.1) in DATAGRAM capsules obey the same.
 */
@Timeout(10)
class CapsuleParserFuzzTest {
    private static final int[] LIMITS = {0, 1, 3, 16, 63, 64, 1500, 65535};

    @FuzzTest
    void capsules(byte[] input) throws Exception {
        if (input.length == 0) return;
        int options = input[0] & 0xFF;
        int limit = LIMITS[options & 7];
        int wants = (options >> 3) & 3; // 0: DATAGRAM only (the default), 1: even types, 2: all, 3: none
        int piece = options >> 5; // 0: whole; else feeds of 1..7 bytes
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);

        Outcome[] outcomes = new Outcome[2];
        AllocationBudget.check(input, AllocationBudget.of(input, 256, limit), () -> {
            outcomes[0] = parse(stream, limit, wants, 0);
            outcomes[1] = parse(stream, limit, wants, piece);
        });
        Outcome whole = outcomes[0];
        assertEquals(whole, outcomes[1], "the split changed what the parser delivered");
        for (Event e : whole.events) {
            assertTrue(e.type >= 0 && e.type <= VarInt.MAX && (e.value == null || e.length <= limit));
            if (e.value != null && e.type == CapsuleType.DATAGRAM) datagram(e.value);
        }
        if (whole.failed) return;

        // Re-encode with minimal varints (skipped values as zeros): it parses to the same capsules.
        ByteBuffer again = ByteBuffer.allocate(stream.length);
        for (Event e : whole.events) {
            ByteBuffer value = ByteBuffer.wrap(e.value != null ? e.value : new byte[(int) e.length]);
            new Capsule(e.type, value).writeTo(again);
        }
        assertEquals(whole, parse(Arrays.copyOf(again.array(), again.position()), limit, wants, 0));
    }

    /** An HTTP Datagram payload parses or is refused, and what parses writes back to a payload equal to it. */
    private static void datagram(byte[] value) {
        DatagramPayload p;
        try {
            p = DatagramPayload.parse(ByteBuffer.wrap(value));
        } catch (CodecException refused) {
            assertTrue(value.length == 0 || value.length < VarInt.encodedLength(value[0]),
                    "only a payload shorter than its context ID's varint lacks one");
            return;
        }
        ByteBuffer out = ByteBuffer.allocate(p.encodedLength());
        p.writeTo(out);
        assertTrue(p.encodedLength() <= value.length);
        DatagramPayload back = assertDoesNotFail(out.flip());
        assertEquals(p.contextId(), back.contextId());
        assertEquals(p.data(), back.data());
    }

    private static DatagramPayload assertDoesNotFail(ByteBuffer b) {
        try {
            return DatagramPayload.parse(b);
        } catch (CodecException e) {
            throw new AssertionError("a written payload does not parse", e);
        }
    }

    private static Outcome parse(byte[] stream, int limit, int wants, int piece) {
        Outcome out = new Outcome(new ArrayList<>());
        CapsuleParser parser = new CapsuleParser(limit, new CapsuleListener() {
            @Override
            public boolean wants(long type) {
                return switch (wants) {
                    case 0 -> type == CapsuleType.DATAGRAM;
                    case 1 -> (type & 1) == 0;
                    case 2 -> true;
                    default -> false;
                };
            }

            @Override
            public void onCapsule(long type, ByteBuffer value) {
                byte[] copy = new byte[value.remaining()];
                value.duplicate().get(copy);
                out.events.add(new Event(type, copy.length, copy));
            }

            @Override
            public void onSkipped(long type, long length) {
                out.events.add(new Event(type, length, null));
            }
        });
        try {
            for (int at = 0; at < stream.length; ) {
                int n = piece == 0 ? stream.length : Math.min(piece, stream.length - at);
                parser.feed(ByteBuffer.wrap(stream, at, n));
                at += n;
            }
            parser.finish();
            assertTrue(parser.atBoundary());
        } catch (CodecException refused) {
            out.failed = true;
        }
        return out;
    }

    /** What a parse delivered, and whether it ended in a rejection. */
    private static final class Outcome {
        final List<Event> events;
        boolean failed;

        Outcome(List<Event> events) {
            this.events = events;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Outcome other && events.equals(other.events) && failed == other.failed;
        }

        @Override
        public int hashCode() {
            return events.hashCode();
        }

        @Override
        public String toString() {
            return events + (failed ? " then refused" : "");
        }
    }

    /** A delivered capsule ({@code value} set) or a skipped one. */
    private record Event(long type, long length, byte[] value) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Event e && type == e.type && length == e.length && Arrays.equals(value, e.value);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(type) * 31 + Arrays.hashCode(value);
        }
    }
}
