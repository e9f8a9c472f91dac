package io.acip.capsule.proxystatus;

import io.acip.capsule.CodecException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * RFC 8941 Structured Field Values: the parsing (§4.2) of Lists and Items and the serialisation (§4.1) of bare items
 * and parameters, as Proxy-Status (RFC 9209) and Capsule-Protocol (RFC 9297 §3.4) need them.
 *
 * <p>Bare items map to Java as: Integer → {@link Long} (an int is accepted and held as Long), Decimal →
 * {@link BigDecimal}, String → {@link String}, Token → {@link Token}, Byte Sequence → {@link ByteSequence}, Boolean →
 * {@link Boolean}. Parameters are an ordered map; a repeated key overwrites the earlier value in place (§4.2.3.2).
 *
 * <p>It lives here because Proxy-Status is its first user; when a third header needs it, it belongs in a package of
 * its own.
 */
public final class StructuredFields {
    /** §3.3.1: integers have at most 15 digits. */
    public static final long MAX_INTEGER = 999_999_999_999_999L;

    private static final BigDecimal MAX_DECIMAL = new BigDecimal("999999999999.999");

    private StructuredFields() {
    }

    /** An sf-token (§3.3.4); distinct from an sf-string with the same characters. */
    public record Token(String value) {
        public Token {
            if (!isToken(value)) throw new IllegalArgumentException("not an sf-token: " + value);
        }

        @Override
        public String toString() {
            return value;
        }
    }

    /** An sf-binary (§3.3.5). */
    public record ByteSequence(byte[] bytes) {
        public ByteSequence {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByteSequence b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return ':' + Base64.getEncoder().encodeToString(bytes) + ':';
        }
    }

    /** An Item (§3.3): a bare item with parameters. */
    public record Item(Object value, Map<String, Object> params) {
        public Item {
            value = normalise(value);
            checkBareItem(value);
            params = copyParams(params);
        }
    }

    /** An Inner List (§3.1.1): items in parentheses, with parameters of its own. */
    public record InnerList(List<Item> items, Map<String, Object> params) {
        public InnerList {
            items = List.copyOf(items);
            params = copyParams(params);
        }
    }

    /**
     * Parses a List field value (§4.2 with field_type "list"). Each member is an {@link Item} or an
     * {@link InnerList}; an empty value is an empty list. Leading and trailing SP/HTAB are ignored, as the HTTP layer
     * strips them anyway.
     */
    public static List<Object> parseList(String fieldValue) throws CodecException {
        Parser p = new Parser(trimOws(fieldValue));
        List<Object> members = new ArrayList<>();
        while (!p.atEnd()) {
            members.add(p.peek() == '(' ? p.innerList() : p.item());
            p.skipOws();
            if (p.atEnd()) break;
            if (p.next() != ',') throw p.error("expected ',' between list members");
            p.skipOws();
            if (p.atEnd()) throw p.error("trailing ',' in list");
        }
        return List.copyOf(members);
    }

    /** Parses an Item field value (§4.2 with field_type "item"). */
    public static Item parseItem(String fieldValue) throws CodecException {
        Parser p = new Parser(trimOws(fieldValue));
        Item item = p.item();
        if (!p.atEnd()) throw p.error("unexpected characters after item");
        return item;
    }

    /** §3.3.4: a token starts with ALPHA or "*" and continues with tchar, ":" or "/". */
    public static boolean isToken(String s) {
        if (s == null || s.isEmpty()) return false;
        char first = s.charAt(0);
        if (!isAlpha(first) && first != '*') return false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isTchar(c) && c != ':' && c != '/') return false;
        }
        return true;
    }

    /** §3.1.2: a key starts with lcalpha or "*" and continues with lcalpha, DIGIT, "_", "-", "." or "*". */
    public static boolean isKey(String s) {
        if (s == null || s.isEmpty()) return false;
        char first = s.charAt(0);
        if (!isLcAlpha(first) && first != '*') return false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isLcAlpha(c) && !isDigit(c) && c != '_' && c != '-' && c != '.' && c != '*') return false;
        }
        return true;
    }

    /** §3.3.3: an sf-string holds printable ASCII only (0x20-0x7E). */
    public static boolean isStringContent(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) return false;
        }
        return true;
    }

    /** Appends a bare item in its §4.1.3 serialisation; decimals are rounded to three fractional digits. */
    public static void appendBareItem(StringBuilder out, Object bareItem) {
        Object value = normalise(bareItem);
        checkBareItem(value);
        if (value instanceof Long l) {
            out.append(l.longValue());
        } else if (value instanceof BigDecimal d) {
            BigDecimal r = d.setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros();
            out.append(r.scale() <= 0 ? r.setScale(1).toPlainString() : r.toPlainString());
        } else if (value instanceof String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') out.append('\\');
                out.append(c);
            }
            out.append('"');
        } else if (value instanceof Token t) {
            out.append(t.value());
        } else if (value instanceof ByteSequence b) {
            out.append(b);
        } else {
            out.append((Boolean) value ? "?1" : "?0");
        }
    }

    /**
     * Appends parameters (§4.1.1.2), writing {@code "; "} before each: SP after ";" is allowed by §3.1.2 and is the
     * form RFC 9209's own examples use, which keeps the field readable in logs.
     */
    public static void appendParams(StringBuilder out, Map<String, Object> params) {
        for (Map.Entry<String, Object> e : params.entrySet()) {
            out.append("; ").append(e.getKey());
            if (!Boolean.TRUE.equals(e.getValue())) {
                out.append('=');
                appendBareItem(out, e.getValue());
            }
        }
    }

    /** Throws IllegalArgumentException unless {@code value} is a bare item this codec can serialise validly. */
    static void checkBareItem(Object value) {
        Objects.requireNonNull(value, "bare item");
        if (value instanceof Long l) {
            if (Math.abs(l) > MAX_INTEGER) throw new IllegalArgumentException("sf-integer out of range: " + l);
        } else if (value instanceof BigDecimal d) {
            if (d.abs().compareTo(MAX_DECIMAL) > 0) throw new IllegalArgumentException("sf-decimal out of range: " + d);
        } else if (value instanceof String s) {
            if (!isStringContent(s)) throw new IllegalArgumentException("sf-string holds printable ASCII only");
        } else if (!(value instanceof Token || value instanceof ByteSequence || value instanceof Boolean)) {
            throw new IllegalArgumentException("not a bare item type: " + value.getClass().getName());
        }
    }

    /** Validated, ordered, unmodifiable copy of parameters; IllegalArgumentException for a bad key or value. */
    static Map<String, Object> copyParams(Map<String, Object> params) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : params.entrySet()) {
            if (!isKey(e.getKey())) throw new IllegalArgumentException("not an sf key: " + e.getKey());
            Object value = normalise(e.getValue());
            checkBareItem(value);
            copy.put(e.getKey(), value);
        }
        return Collections.unmodifiableMap(copy);
    }

    // Integer, Short and Byte are sf-integers too; holding them all as Long keeps equals() meaningful.
    private static Object normalise(Object value) {
        return value instanceof Integer || value instanceof Short || value instanceof Byte
                ? (Object) ((Number) value).longValue()
                : value;
    }

    private static String trimOws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isOws(s.charAt(start))) start++;
        while (end > start && isOws(s.charAt(end - 1))) end--;
        return s.substring(start, end);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isLcAlpha(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // RFC 9110 §5.6.2 tchar.
    private static boolean isTchar(char c) {
        return isAlpha(c) || isDigit(c) || (c < 128 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }

    private static boolean isBase64(char c) {
        return isAlpha(c) || isDigit(c) || c == '+' || c == '/' || c == '=';
    }

    /** One pass over the input, with the §4.2 algorithms as methods. Linear, no recursion beyond one inner list. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return s.charAt(pos);
        }

        char next() {
            return s.charAt(pos++);
        }

        void skipOws() {
            while (!atEnd() && isOws(peek())) pos++;
        }

        void skipSp() {
            while (!atEnd() && peek() == ' ') pos++;
        }

        CodecException error(String what) {
            return new CodecException("structured field: " + what + " at offset " + pos);
        }

        // §4.2.1.2
        InnerList innerList() throws CodecException {
            pos++; // '('
            List<Item> items = new ArrayList<>();
            while (true) {
                skipSp();
                if (atEnd()) throw error("unterminated inner list");
                if (peek() == ')') {
                    pos++;
                    return new InnerList(items, params());
                }
                items.add(item());
                if (atEnd()) throw error("unterminated inner list");
                char c = peek();
                if (c != ' ' && c != ')') throw error("expected SP or ')' in inner list");
            }
        }

        // §4.2.3
        Item item() throws CodecException {
            Object bare = bareItem();
            return new Item(bare, params());
        }

        // §4.2.3.2
        Map<String, Object> params() throws CodecException {
            Map<String, Object> params = new LinkedHashMap<>();
            while (!atEnd() && peek() == ';') {
                pos++;
                skipSp();
                String key = key();
                Object value = Boolean.TRUE;
                if (!atEnd() && peek() == '=') {
                    pos++;
                    value = bareItem();
                }
                params.put(key, value);
            }
            return params;
        }

        // §4.2.3.3
        String key() throws CodecException {
            int start = pos;
            if (atEnd() || !(isLcAlpha(peek()) || peek() == '*')) throw error("expected a key");
            pos++;
            while (!atEnd()) {
                char c = peek();
                if (!isLcAlpha(c) && !isDigit(c) && c != '_' && c != '-' && c != '.' && c != '*') break;
                pos++;
            }
            return s.substring(start, pos);
        }

        // §4.2.3.1
        Object bareItem() throws CodecException {
            if (atEnd()) throw error("expected a bare item");
            char c = peek();
            if (c == '-' || isDigit(c)) return number();
            if (c == '"') return string();
            if (c == '*' || isAlpha(c)) return token();
            if (c == ':') return byteSequence();
            if (c == '?') return bool();
            throw error("unexpected character '" + printable(c) + "'");
        }

        // §4.2.4
        Object number() throws CodecException {
            int start = pos;
            boolean negative = false;
            if (peek() == '-') {
                negative = true;
                pos++;
            }
            if (atEnd() || !isDigit(peek())) throw error("expected a digit");
            int digitsStart = pos;
            int dot = -1;
            while (!atEnd()) {
                char c = peek();
                if (isDigit(c)) {
                    pos++;
                } else if (c == '.' && dot < 0) {
                    if (pos - digitsStart > 12) throw error("decimal has more than 12 integer digits");
                    dot = pos++;
                } else {
                    break;
                }
                int len = pos - digitsStart;
                if (dot < 0 && len > 15) throw error("integer has more than 15 digits");
                if (dot >= 0 && len > 16) throw error("decimal too long");
            }
            String text = s.substring(start, pos);
            if (dot < 0) return Long.parseLong(text);
            int fraction = pos - dot - 1;
            if (fraction == 0) throw error("decimal ends with '.'");
            if (fraction > 3) throw error("decimal has more than 3 fractional digits");
            BigDecimal d = new BigDecimal(text);
            return negative && d.signum() == 0 ? d.abs() : d;
        }

        // §4.2.5
        String string() throws CodecException {
            pos++; // '"'
            StringBuilder out = new StringBuilder();
            while (!atEnd()) {
                char c = next();
                if (c == '\\') {
                    if (atEnd()) throw error("string ends inside an escape");
                    char e = next();
                    if (e != '"' && e != '\\') throw error("invalid escape in string");
                    out.append(e);
                } else if (c == '"') {
                    return out.toString();
                } else if (c < 0x20 || c > 0x7E) {
                    throw error("string holds a character outside printable ASCII");
                } else {
                    out.append(c);
                }
            }
            throw error("unterminated string");
        }

        // §4.2.6
        Token token() {
            int start = pos++;
            while (!atEnd()) {
                char c = peek();
                if (!isTchar(c) && c != ':' && c != '/') break;
                pos++;
            }
            return new Token(s.substring(start, pos));
        }

        // §4.2.7: padding is not required (parsers SHOULD NOT fail without it), other base64 errors fail.
        ByteSequence byteSequence() throws CodecException {
            int start = ++pos;
            while (!atEnd() && peek() != ':') {
                if (!isBase64(peek())) throw error("invalid character in byte sequence");
                pos++;
            }
            if (atEnd()) throw error("unterminated byte sequence");
            String b64 = s.substring(start, pos++);
            try {
                return new ByteSequence(Base64.getDecoder().decode(b64));
            } catch (IllegalArgumentException e) {
                throw error("invalid base64 in byte sequence");
            }
        }

        // §4.2.8
        Boolean bool() throws CodecException {
            pos++; // '?'
            if (atEnd()) throw error("boolean without value");
            char c = next();
            if (c == '1') return Boolean.TRUE;
            if (c == '0') return Boolean.FALSE;
            throw error("boolean must be ?0 or ?1");
        }

        private static String printable(char c) {
            return c >= 0x20 && c <= 0x7E ? String.valueOf(c) : String.format("U+%04X", (int) c);
        }
    }
}
