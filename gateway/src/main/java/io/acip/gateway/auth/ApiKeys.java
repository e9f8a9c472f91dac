package io.acip.gateway.auth;

import io.acip.gateway.policy.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API keys, of which the configuration holds only SHA-256 digests. A presented key is hashed and compared with
 * every configured digest in constant time, so neither a match's position nor a near miss shows in the timing.
 */
final class ApiKeys {
    /** One configured key: its name (the identity becomes {@code apikey:<name>}), digest and groups. */
    record Key(String name, byte[] sha256, List<String> groups) {
        Key {
            if (sha256.length != 32) throw new IllegalArgumentException("a SHA-256 digest is 32 bytes");
            groups = List.copyOf(groups);
        }
    }

    private final List<Key> keys;

    ApiKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The principal whose key this is, if any. */
    Optional<Principal> match(String presented) {
        byte[] digest = sha256(presented);
        Key found = null;
        for (Key k : keys) {
            if (MessageDigest.isEqual(k.sha256(), digest) && found == null) found = k;
        }
        return found == null ? Optional.empty()
                : Optional.of(new Principal("apikey:" + found.name(), found.groups(), Principal.Method.API_KEY));
    }

    /** Parses a configured digest: 64 hex digits. */
    static byte[] digest(String hex) {
        if (hex == null || !hex.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("must be 64 hex digits (the key's SHA-256), not " + hex);
        }
        return HexFormat.of().parseHex(hex);
    }

    /** One digest per thread: the JCA lookup behind {@code getInstance} costs more than hashing a token. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    });

    static byte[] sha256(String s) {
        return SHA256.get().digest(s.getBytes(StandardCharsets.UTF_8));
    }
}
