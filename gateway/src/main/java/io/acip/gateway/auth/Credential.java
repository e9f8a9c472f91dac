package io.acip.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * What an {@code Authorization} or {@code Proxy-Authorization} field presents (RFC 9110 §11.4): a bearer token
 * (RFC 6750 §2.1: a JWT or an API key) or Basic credentials (RFC 7617) whose password is an API key.
 */
public sealed interface Credential {
    /** {@code Bearer <token>}. */
    record Bearer(String token) implements Credential {
    }

    /** {@code Basic base64(user:password)}: the password is the API key (the user, when the password is empty). */
    record Basic(String user, String password) implements Credential {
        public String key() {
            return password.isEmpty() ? user : password;
        }
    }

    /** A scheme this gateway does not take, or a value that does not parse: the caller answers 401/407. */
    record Unreadable(String why) implements Credential {
    }

    /** Parses a field value; empty for an absent field. */
    static Optional<Credential> parse(String value) {
        if (value == null) return Optional.empty();
        String v = value.trim();
        int space = v.indexOf(' ');
        if (space < 0) return Optional.of(new Unreadable("no credentials after the scheme"));
        String scheme = v.substring(0, space).toLowerCase(Locale.ROOT);
        String rest = v.substring(space + 1).trim();
        if (rest.isEmpty()) return Optional.of(new Unreadable("no credentials after the scheme"));
        return Optional.of(switch (scheme) {
            case "bearer" -> Token68.PATTERN.matcher(rest).matches() ? new Bearer(rest)
                    : new Unreadable("a bearer token has only token68 characters (RFC 6750 §2.1)");
            case "basic" -> basic(rest);
            default -> new Unreadable("scheme " + scheme + " is not accepted here (Bearer or Basic)");
        });
    }

    /** RFC 7235 §2.1 token68, compiled once: it is checked on every request. */
    final class Token68 {
        static final java.util.regex.Pattern PATTERN = java.util.regex.Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

        private Token68() {
        }
    }

    private static Credential basic(String encoded) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return new Unreadable("Basic credentials are not base64");
        }
        String s = new String(decoded, StandardCharsets.UTF_8);
        int colon = s.indexOf(':');
        if (colon < 0) return new Unreadable("Basic credentials have no ':' (RFC 7617 §2)");
        return new Basic(s.substring(0, colon), s.substring(colon + 1));
    }
}
