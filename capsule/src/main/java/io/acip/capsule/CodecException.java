package io.acip.capsule;

/**
 * The one error a codec in this module raises for input it cannot accept: malformed, truncated or over a bound.
 * Callers map it to the protocol error their layer names (an HTTP status, H3_DATAGRAM_ERROR, an ACIP RESET);
 * nothing else may escape a decoder, whatever bytes it is fed.
 */
public class CodecException extends Exception {
    public CodecException(String message) {
        super(message, null, false, false);
    }
}
