package io.acip.wire;

/** A packet that violates docs/acip-v0.md; answered with RESET protocol_violation on the session it names. */
public final class MalformedPacketException extends Exception {
    public MalformedPacketException(String message) {
        super(message, null, false, false);
    }
}
