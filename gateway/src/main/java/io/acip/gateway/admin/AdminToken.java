package io.acip.gateway.admin;

import io.acip.gateway.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bearer token of {@code admin.token_file}: the file's content, trimmed. Compared in constant time over SHA-256
 * digests (equal lengths, so neither the token's length nor its prefix leaks through timing). The file is read again
 * when its modification time changes, so a token is rotated by rewriting the file; a file that turns unreadable or
 * empty accepts no token until it is fixed.
 */
final class AdminToken {
    private final Path file;
    private volatile FileTime readAt;
    private volatile byte[] digest; // null: no token accepted

    private AdminToken(Path file) {
        this.file = file;
    }

    /** Refuses a file that cannot be read or holds no token, naming {@code admin.token_file}. */
    static AdminToken load(String path) throws ConfigException {
        AdminToken t = new AdminToken(Path.of(path));
        try {
            t.read();
        } catch (IOException e) {
            throw new ConfigException("admin.token_file: cannot read " + path + ": " + e.getMessage());
        }
        if (t.digest == null) throw new ConfigException("admin.token_file: " + path + " holds no token");
        return t;
    }

    boolean matches(String presented) {
        try {
            if (!Files.getLastModifiedTime(file).equals(readAt)) read();
        } catch (IOException e) {
            digest = null;
        }
        byte[] expected = digest;
        return expected != null && MessageDigest.isEqual(expected, sha256(presented));
    }

    private synchronized void read() throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        String token = Files.readString(file, StandardCharsets.UTF_8).trim();
        digest = token.isEmpty() ? null : sha256(token);
        readAt = modified;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
