package io.acip.gateway.bridge;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps every request of an MCP session (Streamable HTTP, {@code Mcp-Session-Id}) on the skill instance that opened
 * it, through an ACIP AFFINITY_KEY (docs/acip-v0.md §6.1: the same key reaches the same instance while it stays
 * eligible).
 *
 * <p>The session's first request ({@code initialize}) carries no session ID yet, so its key cannot be the ID the
 * server is about to mint. The edge therefore draws a key for each request that may open a session (a POST accepting
 * {@code text/event-stream}, as MCP clients send) and hands the agent the minted ID in an envelope that carries the
 * key, {@code acip.<key>.<id>} (as Envoy's envelope stateful sessions do). Later requests present the envelope: its
 * key becomes the AFFINITY_KEY, and the origin sees its own ID again. The edge keeps no state, so any edge replica
 * can take the session's next request. An ID in no envelope gives its SHA-256 as the key. Requests without a session
 * spread as before (a fresh key each). The key travels in the SETUP in clear, so it is never the session ID itself,
 * which would let anyone on the path take over the session.
 */
final class McpSessionAffinity {
    static final String SESSION_FIELD = "mcp-session-id";
    private static final String PREFIX = "acip.";
    private static final int KEY_CHARS = 22; // 16 random bytes, base64url without padding
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What affinity a request asks for: the key (if any), and its header fields as the origin should see them. */
    record Affinity(Optional<String> key, Fields headers) {
        Optional<Tlv> tlv() {
            return key.map(k -> Tlv.ofString(TlvType.AFFINITY_KEY, k));
        }

        /** The response's fields with a minted session ID put in this key's envelope. */
        Fields response(Fields fields) {
            if (key.isEmpty() || fields.first(SESSION_FIELD).isEmpty()) return fields;
            List<Field> out = new ArrayList<>(fields.lines().size());
            for (Field f : fields.lines()) {
                out.add(f.name().equals(SESSION_FIELD) ? new Field(SESSION_FIELD, envelope(key.get(), f.value())) : f);
            }
            return new Fields(out);
        }
    }

    private McpSessionAffinity() {
    }

    static Affinity of(String method, Fields headers) {
        Optional<String> session = headers.first(SESSION_FIELD);
        if (session.isPresent()) {
            String id = session.get();
            Optional<String[]> opened = open(id);
            if (opened.isEmpty()) return new Affinity(Optional.of(digest(id)), headers);
            List<Field> out = new ArrayList<>(headers.lines().size());
            for (Field f : headers.lines()) {
                out.add(f.name().equals(SESSION_FIELD) ? new Field(SESSION_FIELD, opened.get()[1]) : f);
            }
            return new Affinity(Optional.of(opened.get()[0]), new Fields(out));
        }
        boolean mayOpen = "POST".equals(method) && headers.first("accept")
                .map(a -> a.toLowerCase(Locale.ROOT).contains("text/event-stream")).orElse(false);
        return new Affinity(mayOpen ? Optional.of(newKey()) : Optional.empty(), headers);
    }

    static String envelope(String key, String id) {
        return PREFIX + key + "." + id;
    }

    /** The key and the origin's ID of an envelope, or empty when {@code value} is none. */
    static Optional<String[]> open(String value) {
        int dot = PREFIX.length() + KEY_CHARS;
        if (value.length() <= dot + 1 || !value.startsWith(PREFIX) || value.charAt(dot) != '.') return Optional.empty();
        String key = value.substring(PREFIX.length(), dot);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean b64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_';
            if (!b64) return Optional.empty();
        }
        return Optional.of(new String[] {key, value.substring(dot + 1)});
    }

    private static String digest(String id) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(id.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(d, 16));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String newKey() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
