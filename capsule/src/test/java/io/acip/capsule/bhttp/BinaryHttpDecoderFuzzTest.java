package io.acip.capsule.bhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.acip.capsule.CodecException;
import io.acip.capsule.fuzz.AllocationBudget;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * The Binary HTTP decoder (RFC 9292) under Jazzer, one target per message kind; each input may use either framing,
 * known- or indeterminate-length. Input: one option byte (small or default limits, how the message is split into
 * feeds), then the message. Contract: the decoder reports a message or raises {@link CodecException}, nothing else;
 * any split gives the same reports and outcome; a message it accepts, encoded again in both framings, decodes to the
 * same reports; memory stays within the input's size plus a field section's worth (RFC 9292 §8).
 */
@Timeout(10)
class BinaryHttpDecoderFuzzTest {
    private static final BinaryHttpLimits SMALL = new BinaryHttpLimits(200, 40);

    @FuzzTest
    void requests(byte[] input) throws Exception {
        check(input, MessageKind.REQUEST);
    }

    @FuzzTest
    void responses(byte[] input) throws Exception {
        check(input, MessageKind.RESPONSE);
    }

    private static void check(byte[] input, MessageKind kind) throws Exception {
        if (input.length == 0) return;
        int options = input[0] & 0xFF;
        BinaryHttpLimits limits = (options & 1) == 0 ? BinaryHttpLimits.DEFAULT : SMALL;
        int piece = options >> 1; // 0: whole; else feeds of 1..127 bytes
        byte[] wire = Arrays.copyOfRange(input, 1, input.length);

        Outcome[] outcomes = new Outcome[2];
        AllocationBudget.check(input, AllocationBudget.of(input, 256, 8L * limits.maxFieldSectionSize()), () -> {
            outcomes[0] = decode(wire, kind, limits, 0);
            outcomes[1] = decode(wire, kind, limits, piece);
        });
        Outcome whole = outcomes[0];
        assertEquals(whole, outcomes[1], "the split changed what the decoder reported");
        if (whole.failed) return;

        Message message = message(kind, whole.events);
        for (boolean knownLength : new boolean[] {true, false}) {
            Message again = knownLength == message.framing().isKnownLength() ? message : reframed(message);
            Outcome back = decode(again.encode(), kind, limits, 0);
            assertEquals(whole, back, "re-encoded as " + again.framing());
        }
    }

    /** The message the reports describe, with its content in one chunk and no padding. */
    private static Message message(MessageKind kind, List<Event> events) {
        List<ResponseHead> informational = new ArrayList<>();
        List<byte[]> chunks = new ArrayList<>();
        Fields trailers = null;
        Event head = null;
        for (Event e : events) {
            if (e instanceof Event.Informational i) informational.add(i.head());
            else if (e instanceof Event.Request || e instanceof Event.Response) head = e;
            else if (e instanceof Event.Content c) chunks.add(c.bytes().getBytes(StandardCharsets.ISO_8859_1));
            else if (e instanceof Event.Trailers t) trailers = t.trailers();
        }
        assertTrue(head != null && trailers != null && events.get(events.size() - 1) instanceof Event.Complete,
                () -> "incomplete reports " + events);
        if (kind == MessageKind.REQUEST) {
            Event.Request r = (Event.Request) head;
            return Message.request(true, r.head(), r.headers(), chunks, trailers, 0);
        }
        return Message.response(true, informational, ((Event.Response) head).head(), chunks, trailers, 0);
    }

    private static Message reframed(Message m) {
        Framing other = Framing.of(m.framing().kind(), !m.framing().isKnownLength());
        return new Message(other, m.informational(), m.request(), m.headers(), m.response(), m.chunks(), m.trailers(),
                m.padding());
    }

    private static Outcome decode(byte[] wire, MessageKind kind, BinaryHttpLimits limits, int piece) {
        Reports reports = new Reports();
        BinaryHttpDecoder decoder = kind == MessageKind.REQUEST
                ? BinaryHttpDecoder.forRequest(limits, reports) : BinaryHttpDecoder.forResponse(limits, reports);
        boolean failed = false;
        try {
            for (int at = 0; at < wire.length; ) {
                int n = piece == 0 ? wire.length : Math.min(piece, wire.length - at);
                decoder.decode(ByteBuffer.wrap(wire, at, n));
                at += n;
            }
            decoder.decode(ByteBuffer.allocate(0));
            decoder.finish();
            assertTrue(decoder.isComplete());
            assertEquals(kind, decoder.framing().kind());
        } catch (CodecException refused) {
            failed = true;
        }
        return new Outcome(reports.events(), failed);
    }

    /** What a decode reported, and whether it ended in a rejection. */
    private record Outcome(List<Event> events, boolean failed) {
    }

    /** Records reports as {@link Event}s, gathering content (whose split follows the feeds) into one event. */
    private static final class Reports implements BinaryHttpListener {
        private final List<Event> events = new ArrayList<>();
        private final ByteArrayOutputStream content = new ByteArrayOutputStream();

        @Override
        public void onInformational(ResponseHead informational) {
            events.add(new Event.Informational(informational));
        }

        @Override
        public void onRequestHead(RequestHead head, Fields headers) {
            events.add(new Event.Request(head, headers));
        }

        @Override
        public void onResponseHead(ResponseHead head) {
            events.add(new Event.Response(head));
        }

        @Override
        public void onContent(ByteBuffer piece) {
            assertTrue(piece.hasRemaining(), "empty content report");
            byte[] bytes = new byte[piece.remaining()];
            piece.duplicate().get(bytes);
            content.writeBytes(bytes);
        }

        @Override
        public void onTrailers(Fields trailers) {
            flushContent();
            events.add(new Event.Trailers(trailers));
        }

        @Override
        public void onComplete() {
            events.add(new Event.Complete());
        }

        List<Event> events() {
            flushContent();
            return events;
        }

        private void flushContent() {
            if (content.size() > 0) events.add(new Event.Content(content.toString(StandardCharsets.ISO_8859_1)));
            content.reset();
        }
    }
}
