package io.acip.capsule.bhttp;

/**
 * What a field name, field value or control-data string may contain. Strings here hold one byte per char
 * (ISO-8859-1), so a char above 0xFF can never be written and is refused as well.
 */
final class FieldSyntax {
    private static final boolean[] TCHAR = new boolean[128];

    static {
        // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|"
        //                          / "~" / DIGIT / ALPHA
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
    }

    private FieldSyntax() {
    }

    /** RFC 9110 §5.6.2 token: one or more tchar. Methods (§9.1) and field names (§5.1) are tokens. */
    static boolean isToken(String s) {
        return isToken(s, 0);
    }

    /** A field name: a token, or a colon and a token for a pseudo-field (RFC 9292 §3.6). */
    static boolean isFieldName(String s) {
        return isToken(s, !s.isEmpty() && s.charAt(0) == ':' ? 1 : 0);
    }

    /** The pseudo-fields RFC 9292 §3.6 forbids because control data carries them. */
    static boolean isReservedPseudoField(String name) {
        return switch (name) {
            case ":method", ":scheme", ":authority", ":path", ":status" -> true;
            default -> false;
        };
    }

    /**
     * RFC 9292 §3.6 makes invalid what RFC 9113 §8.2.1 calls malformed: a value containing NUL, CR or LF, or one that
     * starts or ends with SP or HTAB.
     */
    static boolean isFieldValue(String s) {
        int n = s.length();
        if (n > 0 && (isWhitespace(s.charAt(0)) || isWhitespace(s.charAt(n - 1)))) return false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0 || c == '\r' || c == '\n' || c > 0xFF) return false;
        }
        return true;
    }

    /** RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ); empty where HTTP/2 omits it (CONNECT). */
    static boolean isScheme(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!alpha && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) return false;
        }
        return true;
    }

    /**
     * Authority and path are URI parts (RFC 9113 §8.3.1, RFC 3986), which hold only visible US-ASCII: refusing
     * anything else keeps a request from being split when it is replayed over HTTP/1.1.
     */
    static boolean isUriText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7E) return false;
        }
        return true;
    }

    private static boolean isToken(String s, int from) {
        if (s.length() <= from) return false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128 || !TCHAR[c]) return false;
        }
        return true;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }
}
