package io.acip.tls.identity;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An ACIP identity as a certificate names it in a subjectAltName URI: {@code acip://node/<node-id>} for a fabric
 * node, {@code acip://skill/<skill-name>} for a skill. A skill name keeps its {@code /}-separated segments as URI
 * path segments; every byte of a segment's UTF-8 outside RFC 3986 {@code unreserved} is percent-encoded, so any
 * name gives a valid URI and decoding gives the name back. A node ID is one segment ({@code /} encodes as %2F).
 *
 * <p>Segments may not be empty, {@code .} or {@code ..}: RFC 3986 §6.2.2 normalisation would collapse them (and
 * treats %2E as {@code .}), so two tools could disagree on which name a certificate carries.
 */
public record IdentityUri(Kind kind, String name) {
    /** What the URI names; the URI authority is the lower-case {@link #authority()}. */
    public enum Kind {
        NODE("node"), SKILL("skill");

        private final String authority;

        Kind(String authority) {
            this.authority = authority;
        }

        public String authority() {
            return authority;
        }
    }

    private static final String SCHEME = "acip://";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Validates the name; throws {@link IllegalArgumentException} naming the problem. */
    public IdentityUri {
        if (kind == null || name == null) {
            throw new IllegalArgumentException("kind and name are required");
        }
        List<String> segments = kind == Kind.NODE ? List.of(name) : List.of(name.split("/", -1));
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                throw new IllegalArgumentException(
                        kind.authority + " name has an empty, '.' or '..' segment: \"" + name + "\"");
            }
            utf8(s); // unpaired surrogates cannot round-trip
        }
    }

    public static IdentityUri node(String nodeId) {
        return new IdentityUri(Kind.NODE, nodeId);
    }

    public static IdentityUri skill(String skillName) {
        return new IdentityUri(Kind.SKILL, skillName);
    }

    /** The encoded URI, e.g. {@code acip://skill/demo/echo}. */
    public String uri() {
        StringBuilder b = new StringBuilder(SCHEME).append(kind.authority).append('/');
        for (byte x : utf8(name)) {
            char c = (char) (x & 0xff);
            if (unreserved(c) || (c == '/' && kind == Kind.SKILL)) {
                b.append(c);
            } else {
                b.append('%').append(HEX[(x >> 4) & 0xf]).append(HEX[x & 0xf]);
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return uri();
    }

    /**
     * The identity a URI names, or empty when it is not a well-formed {@code acip://node/} or {@code acip://skill/}
     * URI (scheme and authority compare case-insensitively; no query, fragment, user or port).
     */
    public static Optional<IdentityUri> parse(String uri) {
        if (uri == null || !uri.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        int slash = uri.indexOf('/', SCHEME.length());
        if (slash < 0) {
            return Optional.empty();
        }
        String authority = uri.substring(SCHEME.length(), slash).toLowerCase(Locale.ROOT);
        Kind kind = authority.equals(Kind.NODE.authority) ? Kind.NODE
                : authority.equals(Kind.SKILL.authority) ? Kind.SKILL : null;
        if (kind == null) {
            return Optional.empty();
        }
        String[] rawSegments = uri.substring(slash + 1).split("/", -1);
        if (kind == Kind.NODE && rawSegments.length != 1) {
            return Optional.empty();
        }
        List<String> segments = new ArrayList<>();
        for (String raw : rawSegments) {
            Optional<String> s = decode(raw);
            // %2F inside a skill segment would be a second spelling of a '/' separator: refuse it.
            if (s.isEmpty() || (kind == Kind.SKILL && s.get().contains("/"))) {
                return Optional.empty();
            }
            segments.add(s.get());
        }
        try {
            return Optional.of(new IdentityUri(kind, String.join("/", segments)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    // RFC 3986 §2.3
    private static boolean unreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    // RFC 3986 §3.3 pchar, less pct-encoded: other encoders may leave these bare, and they mean themselves.
    private static boolean bareAllowed(char c) {
        return unreserved(c) || "!$&'()*+,;=:@".indexOf(c) >= 0;
    }

    /** Percent-decodes one segment, strictly: bad escapes, characters outside pchar or bad UTF-8 give empty. */
    private static Optional<String> decode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    return Optional.empty();
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (bareAllowed(c)) {
                bytes.write(c);
            } else {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static byte[] utf8(String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("name is not valid Unicode (unpaired surrogate): \"" + s + "\"", e);
        }
    }
}
