package io.acip.capsule.bhttp;

import io.acip.capsule.CodecException;
import io.acip.capsule.VarInt;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;

/**
 * Decodes one binary HTTP message (RFC 9292), known- or indeterminate-length, from buffers split anywhere, reporting
 * to a {@link BinaryHttpListener} as parts complete: the head before any content, content as it arrives (views of the
 * input, never gathered), trailers at the end. Memory held is bounded by {@link BinaryHttpLimits}, whatever the
 * declared lengths. Any input it cannot accept raises {@link CodecException}, and nothing else; after one, the
 * decoder stays failed.
 *
 * <p>Call {@link #decode} with each buffer as it arrives and {@link #finish} at the end of the stream, which is
 * where a truncated message (RFC 9292 §3.8) completes or is refused. One thread at a time.
 */
public final class BinaryHttpDecoder {
    private enum State { FRAMING, CONTROL_DATA, STATUS, SECTION, CONTENT_LENGTH, CONTENT, CHUNK_LENGTH, CHUNK, PADDING,
        FAILED }

    /** Which section {@link State#SECTION} is reading. */
    private enum Section { INFORMATIONAL, HEADER, TRAILER }

    private final MessageKind expected;
    private final BinaryHttpListener listener;
    private final VarIntReader varInt = new VarIntReader();
    private final ControlDataReader controlData;
    private final FieldSectionReader section;
    private State state = State.FRAMING;
    private Section sectionKind;
    private Framing framing;
    private RequestHead requestHead;
    private int status;
    private long contentRemaining;
    private boolean chunkSeen;
    private boolean finished;

    private BinaryHttpDecoder(MessageKind expected, BinaryHttpLimits limits, BinaryHttpListener listener) {
        this.expected = expected;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.controlData = new ControlDataReader(Objects.requireNonNull(limits, "limits"));
        this.section = new FieldSectionReader(limits);
    }

    /** A decoder that accepts only a request, in either framing. */
    public static BinaryHttpDecoder forRequest(BinaryHttpLimits limits, BinaryHttpListener listener) {
        return new BinaryHttpDecoder(MessageKind.REQUEST, limits, listener);
    }

    /** A decoder that accepts only a response, in either framing. */
    public static BinaryHttpDecoder forResponse(BinaryHttpLimits limits, BinaryHttpListener listener) {
        return new BinaryHttpDecoder(MessageKind.RESPONSE, limits, listener);
    }

    /** A decoder that accepts a request or a response; {@link #framing()} says which it got. */
    public static BinaryHttpDecoder forEither(BinaryHttpLimits limits, BinaryHttpListener listener) {
        return new BinaryHttpDecoder(null, limits, listener);
    }

    /** The framing read so far, or null before the first byte. */
    public Framing framing() {
        return framing;
    }

    /** Whether the whole message has been read and reported; padding may still follow. */
    public boolean isComplete() {
        return state == State.PADDING;
    }

    /** Consumes all of {@code in}, reporting what completes. */
    public void decode(ByteBuffer in) throws CodecException {
        decode(in, false);
    }

    /**
     * Consumes {@code in} up to the end of the message, reporting what completes, and leaves what follows in
     * {@code in}: for a stream of messages back to back without padding (docs/acip-v0.md §13.2). The caller checks
     * {@link #isComplete()} and hands the rest to the next message's decoder.
     */
    public void decodeMessage(ByteBuffer in) throws CodecException {
        decode(in, true);
    }

    private void decode(ByteBuffer in, boolean stopAtEnd) throws CodecException {
        if (finished) throw new IllegalStateException("decode after finish");
        if (state == State.FAILED) throw new CodecException("decoder failed earlier");
        boolean ok = false;
        try {
            if (!(stopAtEnd && state == State.PADDING)) run(in, stopAtEnd);
            ok = true;
        } finally {
            if (!ok) state = State.FAILED;
        }
    }

    /**
     * Marks the end of input. A message that stopped where RFC 9292 §3.8 allows (after the header section, or after
     * the content) completes here with empty content and trailers; stopping anywhere else is a {@link CodecException}.
     */
    public void finish() throws CodecException {
        if (state == State.FAILED) throw new CodecException("decoder failed earlier");
        if (finished) return;
        finished = true;
        boolean ok = false;
        try {
            boolean truncatable = switch (state) {
                case PADDING -> true;
                // Content omitted: allowed only if it was empty, and then trailers are omitted too.
                case CONTENT_LENGTH -> !varInt.isPartial();
                case CHUNK_LENGTH -> !varInt.isPartial() && !chunkSeen;
                // Trailers omitted: allowed only if they were empty.
                case SECTION -> sectionKind == Section.TRAILER && section.atStart();
                default -> false;
            };
            if (!truncatable) {
                throw new CodecException("message truncated in " + describe() + " (RFC 9292 §3.8)");
            }
            if (state != State.PADDING) complete(Fields.EMPTY);
            ok = true;
        } finally {
            if (!ok) state = State.FAILED;
        }
    }

    private void run(ByteBuffer in, boolean stopAtEnd) throws CodecException {
        while (true) {
            switch (state) {
                case FRAMING -> {
                    long indicator = varInt.read(in);
                    if (indicator == VarInt.INCOMPLETE) return;
                    framing = Framing.fromIndicator(indicator);
                    if (expected != null && framing.kind() != expected) {
                        throw new CodecException("expected a " + expected + ", got framing " + framing);
                    }
                    if (stopAtEnd && framing.isKnownLength()) { // a zero byte here would be padding elsewhere
                        throw new CodecException("known-length framing in a sequence of messages (docs/acip-v0.md"
                                + " §13.2)");
                    }
                    state = framing.kind() == MessageKind.REQUEST ? State.CONTROL_DATA : State.STATUS;
                }
                case CONTROL_DATA -> {
                    requestHead = controlData.read(in);
                    if (requestHead == null) return;
                    startSection(Section.HEADER, controlData.size());
                }
                case STATUS -> {
                    long code = varInt.read(in);
                    if (code == VarInt.INCOMPLETE) return;
                    // RFC 9292 §3.5: 100..199 informational, 200..599 final; nothing else is a status.
                    if (code < 100 || code > 599) {
                        throw new CodecException("invalid status " + code + " (RFC 9292 §3.5)");
                    }
                    status = (int) code;
                    startSection(status < 200 ? Section.INFORMATIONAL : Section.HEADER, 0);
                }
                case SECTION -> {
                    Fields fields = section.read(in);
                    if (fields == null) return;
                    sectionDone(fields);
                }
                case CONTENT_LENGTH -> {
                    long length = varInt.read(in);
                    if (length == VarInt.INCOMPLETE) return;
                    contentRemaining = length;
                    if (length == 0) startSection(Section.TRAILER, 0);
                    else state = State.CONTENT;
                }
                case CONTENT -> {
                    if (!deliver(in)) return;
                    startSection(Section.TRAILER, 0);
                }
                case CHUNK_LENGTH -> {
                    long length = varInt.read(in);
                    if (length == VarInt.INCOMPLETE) return;
                    if (length == 0) {
                        startSection(Section.TRAILER, 0); // RFC 9292 §3.2: the content terminator
                    } else {
                        contentRemaining = length;
                        chunkSeen = true;
                        state = State.CHUNK;
                    }
                }
                case CHUNK -> {
                    if (!deliver(in)) return;
                    state = State.CHUNK_LENGTH;
                }
                case PADDING -> {
                    if (!stopAtEnd) checkPadding(in);
                    return;
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    private void startSection(Section kind, long used) {
        sectionKind = kind;
        section.start(framing.isKnownLength(), kind == Section.TRAILER, used);
        state = State.SECTION;
    }

    private void sectionDone(Fields fields) {
        switch (sectionKind) {
            case INFORMATIONAL -> {
                state = State.STATUS;
                listener.onInformational(new ResponseHead(status, fields));
            }
            case HEADER -> {
                state = framing.isKnownLength() ? State.CONTENT_LENGTH : State.CHUNK_LENGTH;
                if (framing.kind() == MessageKind.REQUEST) listener.onRequestHead(requestHead, fields);
                else listener.onResponseHead(new ResponseHead(status, fields));
            }
            case TRAILER -> complete(fields);
            default -> throw new IllegalStateException(sectionKind.name());
        }
    }

    /** Hands over as much of the current content run as {@code in} holds; true once the run is done. */
    private boolean deliver(ByteBuffer in) {
        int n = (int) Math.min(in.remaining(), contentRemaining);
        if (n == 0) return false;
        ByteBuffer content = in.slice(in.position(), n);
        in.position(in.position() + n);
        contentRemaining -= n;
        listener.onContent(content);
        return contentRemaining == 0;
    }

    private void complete(Fields trailers) {
        state = State.PADDING;
        listener.onTrailers(trailers);
        listener.onComplete();
    }

    /** RFC 9292 §3.8: padding is zero bytes; anything else after the message makes it invalid. */
    private static void checkPadding(ByteBuffer in) throws CodecException {
        while (in.hasRemaining()) {
            if (in.get() != 0) {
                throw new CodecException("non-zero byte after the message (RFC 9292 §3.8)");
            }
        }
    }

    private String describe() {
        return switch (state) {
            case SECTION -> sectionKind.name().toLowerCase(Locale.ROOT) + " section";
            default -> state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }
}
