package io.acip.capsule.bhttp;

import io.acip.capsule.CodecException;
import io.acip.capsule.VarInt;

import java.nio.ByteBuffer;

/**
 * Reads request control data (RFC 9292 §3.4) from fragments: method, scheme, authority and path, each length-prefixed.
 * Each string is bounded like a field line, and all four are charged against the header section's bound the way
 * HTTP/2 charges the pseudo-header fields they stand for.
 */
final class ControlDataReader {
    private static final String[] NAMES = {"method", "scheme", "authority", "path"};

    private final BinaryHttpLimits limits;
    private final VarIntReader varInt = new VarIntReader();
    private final ByteStringReader string = new ByteStringReader();
    private final String[] values = new String[NAMES.length];
    private int index;
    private boolean lengthRead;
    private long size;

    ControlDataReader(BinaryHttpLimits limits) {
        this.limits = limits;
    }

    /** What the control data charged against the header section's bound. */
    long size() {
        return size;
    }

    /** The control data once complete, or null having consumed all of {@code in}. */
    RequestHead read(ByteBuffer in) throws CodecException {
        while (index < values.length) {
            if (!lengthRead) {
                long n = varInt.read(in);
                if (n == VarInt.INCOMPLETE) return null;
                long charged = n + BinaryHttpLimits.LINE_OVERHEAD;
                if (n > limits.maxFieldLineSize() || size + charged > limits.maxFieldSectionSize()) {
                    throw new CodecException("request control data exceeds the limit");
                }
                size += charged;
                string.start((int) n);
                lengthRead = true;
            }
            String s = string.read(in);
            if (s == null) return null;
            if (!isValid(index, s)) {
                throw new CodecException("invalid " + NAMES[index] + " in request control data (RFC 9292 §3.4)");
            }
            values[index++] = s;
            lengthRead = false;
        }
        return new RequestHead(values[0], values[1], values[2], values[3]);
    }

    /** The rules {@link RequestHead} holds its parts to, checked here to raise the codec's own error. */
    private static boolean isValid(int index, String s) {
        return switch (index) {
            case 0 -> FieldSyntax.isToken(s);
            case 1 -> FieldSyntax.isScheme(s);
            default -> FieldSyntax.isUriText(s);
        };
    }
}
