package io.acip.capsule.bhttp;

import io.acip.capsule.CodecException;

/** The framing indicator that starts every binary message (RFC 9292 §3.3). */
public enum Framing {
    KNOWN_LENGTH_REQUEST(MessageKind.REQUEST, true),
    KNOWN_LENGTH_RESPONSE(MessageKind.RESPONSE, true),
    INDETERMINATE_LENGTH_REQUEST(MessageKind.REQUEST, false),
    INDETERMINATE_LENGTH_RESPONSE(MessageKind.RESPONSE, false);

    private static final Framing[] BY_INDICATOR = values();

    private final MessageKind kind;
    private final boolean knownLength;

    Framing(MessageKind kind, boolean knownLength) {
        this.kind = kind;
        this.knownLength = knownLength;
    }

    /** The indicator for this framing; the declaration order above is the wire value, 0 to 3. */
    public int indicator() {
        return ordinal();
    }

    public MessageKind kind() {
        return kind;
    }

    public boolean isKnownLength() {
        return knownLength;
    }

    static Framing of(MessageKind kind, boolean knownLength) {
        return BY_INDICATOR[(knownLength ? 0 : 2) + (kind == MessageKind.REQUEST ? 0 : 1)];
    }

    /** RFC 9292 §3.3: any other value makes the message invalid. */
    static Framing fromIndicator(long indicator) throws CodecException {
        if (indicator < 0 || indicator >= BY_INDICATOR.length) {
            throw new CodecException("invalid framing indicator " + indicator + " (RFC 9292 §3.3)");
        }
        return BY_INDICATOR[(int) indicator];
    }
}
