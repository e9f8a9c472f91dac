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

    /** A value that does not parse as its scheme says (RFC 6750 §3.1 invalid_request): answered 400. */
    record Malformed(String why) implements Credential {
    }

    /** A scheme this gateway does not take: answered with a challenge for those it does. */
    record OtherScheme(String scheme) implements Credential {
    }

    /** Parses a field value; empty for an absent field. */
    static Optional<Credential> parse(String value) {
        if (value == null) return Optional.empty();
        String v = value.trim();
        int space = v.indexOf(' ');
        String scheme = (space < 0 ? v : v.substring(0, space)).toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : v.substring(space + 1).trim();
        if (!scheme.equals("bearer") && !scheme.equals("basic")) return Optional.of(new OtherScheme(scheme));
        if (rest.isEmpty()) return Optional.of(new Malformed("no credentials after the scheme"));
        if (scheme.equals("basic")) return Optional.of(basic(rest));
        return Optional.of(Token68.PATTERN.matcher(rest).matches() ? new Bearer(rest)
                : new Malformed("a bearer token has only token68 characters (RFC 6750 §2.1)"));
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
            return new Malformed("Basic credentials are not base64");
        }
        String s = new String(decoded, StandardCharsets.UTF_8);
        int colon = s.indexOf(':');
        if (colon < 0) return new Malformed("Basic credentials have no ':' (RFC 7617 §2)");
        return new Basic(s.substring(0, colon), s.substring(colon + 1));
    }
}
