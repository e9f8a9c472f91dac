package io.acip.capsule.masque;

import io.acip.capsule.CodecException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of template variable values: RFC 6570 §3.2.1 simple expansion encodes every character outside
 * unreserved (RFC 3986 §2.3) as UTF-8 octets; decoding undoes that exactly once, so {@code %253A} yields the text
 * {@code %3A}, never a colon.
 */
final class PercentCoding {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PercentCoding() {
    }

    /** RFC 3986 §2.3: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~". */
    static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Encodes a value for simple expansion; RFC 3986 §2.1 says to use uppercase hex. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length() * 3);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && isUnreserved(c)) {
                out.append(c);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }

    /**
     * Decodes a value taken from a request once. Everything but unreserved characters must arrive percent-encoded,
     * as expansion produces it (RFC 9298 §3 also requires it of the colons of an IPv6 literal); the octets must be
     * UTF-8.
     *
     * @param what the variable's name, for the message
     */
    static String decodeOnce(String raw, String what) throws CodecException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || !isHexDigit(raw.charAt(i + 1)) || !isHexDigit(raw.charAt(i + 2))) {
                    throw new CodecException(what + " has a '%' not followed by two hex digits");
                }
                bytes.write(Character.digit(raw.charAt(i + 1), 16) << 4 | Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else if (isUnreserved(c)) {
                bytes.write(c);
            } else {
                throw new CodecException(what + " contains " + describe(c) + ", which must be percent-encoded");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CodecException(what + " is not UTF-8 after percent-decoding");
        }
    }

    /** A character for a message: itself when printable ASCII, else its code point. */
    static String describe(int c) {
        return c > 0x20 && c < 0x7F ? "'" + (char) c + "'" : String.format("U+%04X", c);
    }
}
