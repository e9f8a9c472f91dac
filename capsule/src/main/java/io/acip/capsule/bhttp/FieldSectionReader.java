package io.acip.capsule.bhttp;

import io.acip.capsule.CodecException;
import io.acip.capsule.VarInt;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one header or trailer section (RFC 9292 §3.6) from fragments: length-prefixed in known-length messages
 * (§3.1), zero-terminated in indeterminate-length ones (§3.2). Every length is checked against the limits before
 * anything is allocated for it.
 */
final class FieldSectionReader {
    private enum Step { SECTION_LENGTH, NAME_LENGTH, NAME, VALUE_LENGTH, VALUE }

    private final BinaryHttpLimits limits;
    private final VarIntReader varInt = new VarIntReader();
    private final ByteStringReader string = new ByteStringReader();
    private final List<Field> lines = new ArrayList<>();
    private boolean knownLength;
    private boolean trailers;
    private Step step;
    private long sectionRemaining;
    private long size;
    private String name;
    private boolean regularSeen;

    FieldSectionReader(BinaryHttpLimits limits) {
        this.limits = limits;
    }

    /** Starts a section; {@code used} is what control data already charged against the section's bound. */
    void start(boolean knownLength, boolean trailers, long used) {
        this.knownLength = knownLength;
        this.trailers = trailers;
        this.step = knownLength ? Step.SECTION_LENGTH : Step.NAME_LENGTH;
        this.size = used;
        this.regularSeen = false;
        this.lines.clear();
    }

    /** Whether nothing of the section has been read: where RFC 9292 §3.8 lets a message be truncated. */
    boolean atStart() {
        return !varInt.isPartial() && (knownLength ? step == Step.SECTION_LENGTH
                : step == Step.NAME_LENGTH && lines.isEmpty());
    }

    /** The section once complete, or null having consumed all of {@code in}. */
    Fields read(ByteBuffer in) throws CodecException {
        if (step == Step.SECTION_LENGTH) {
            long length = varInt.read(in);
            if (length == VarInt.INCOMPLETE) return null;
            // Each line costs at least its wire bytes (two varints of at most 8 bytes < 32 octets of overhead), so a
            // longer section would exceed the bound anyway: refuse it before reading a byte of it.
            if (length > limits.maxFieldSectionSize() - size) {
                throw new CodecException("field section of " + length + " bytes exceeds the limit");
            }
            sectionRemaining = length;
            step = Step.NAME_LENGTH;
        }
        if (!knownLength) {
            return readLines(in) ? done() : null;
        }
        // Parse within the section's own bytes, so a line running past its end shows as incomplete.
        int window = (int) Math.min(in.remaining(), sectionRemaining);
        ByteBuffer view = in.slice(in.position(), window);
        readLines(view);
        in.position(in.position() + view.position());
        sectionRemaining -= view.position();
        if (sectionRemaining > 0) return null;
        if (step != Step.NAME_LENGTH || varInt.isPartial()) {
            throw new CodecException("field line runs past the end of its section (RFC 9292 §3.1)");
        }
        return done();
    }

    /** Reads lines until {@code in} runs out, or the terminator of an indeterminate-length section (true). */
    private boolean readLines(ByteBuffer in) throws CodecException {
        while (true) {
            switch (step) {
                case NAME_LENGTH -> {
                    long n = varInt.read(in);
                    if (n == VarInt.INCOMPLETE) return false;
                    if (n == 0) {
                        // RFC 9292 §3.2: zero ends an indeterminate-length section; §3.6: names are never empty.
                        if (knownLength) throw new CodecException("empty field name (RFC 9292 §3.6)");
                        return true;
                    }
                    charge(n);
                    string.start((int) n);
                    step = Step.NAME;
                }
                case NAME -> {
                    String s = string.read(in);
                    if (s == null) return false;
                    checkName(s);
                    name = s;
                    step = Step.VALUE_LENGTH;
                }
                case VALUE_LENGTH -> {
                    long n = varInt.read(in);
                    if (n == VarInt.INCOMPLETE) return false;
                    charge(name.length() + n);
                    string.start((int) n);
                    step = Step.VALUE;
                }
                case VALUE -> {
                    String value = string.read(in);
                    if (value == null) return false;
                    if (!FieldSyntax.isFieldValue(value)) {
                        throw new CodecException("invalid value for field " + name + " (RFC 9113 §8.2.1)");
                    }
                    lines.add(new Field(name, value));
                    size += name.length() + value.length() + BinaryHttpLimits.LINE_OVERHEAD;
                    step = Step.NAME_LENGTH;
                }
                default -> throw new IllegalStateException(step.name());
            }
        }
    }

    /** Refuses a line of {@code lineBytes} (name, or name and value) over either bound, before allocating it. */
    private void charge(long lineBytes) throws CodecException {
        if (lineBytes > limits.maxFieldLineSize()) {
            throw new CodecException("field line of " + lineBytes + " bytes exceeds the limit");
        }
        if (size + lineBytes + BinaryHttpLimits.LINE_OVERHEAD > limits.maxFieldSectionSize()) {
            throw new CodecException("field section exceeds the limit");
        }
    }

    private void checkName(String s) throws CodecException {
        if (!FieldSyntax.isFieldName(s)) {
            throw new CodecException("field name is not a token (RFC 9110 §5.1)");
        }
        if (s.charAt(0) != ':') {
            regularSeen = true;
        } else if (FieldSyntax.isReservedPseudoField(s)) {
            throw new CodecException(s + " belongs in control data (RFC 9292 §3.6)");
        } else if (trailers) {
            throw new CodecException("pseudo-field in trailers (RFC 9292 §3.6)");
        } else if (regularSeen) {
            throw new CodecException("pseudo-field after a regular field (RFC 9292 §3.6)");
        }
    }

    private Fields done() {
        Fields fields = lines.isEmpty() ? Fields.EMPTY : new Fields(lines);
        lines.clear();
        return fields;
    }
}
