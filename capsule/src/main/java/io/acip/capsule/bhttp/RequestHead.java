package io.acip.capsule.bhttp;

import java.util.Objects;

/**
 * Request control data (RFC 9292 §3.4): what HTTP/2 carries in {@code :method}, {@code :scheme}, {@code :authority}
 * and {@code :path}. An authority HTTP/2 would omit is empty here, as are scheme and path of a CONNECT.
 */
public record RequestHead(String method, String scheme, String authority, String path) {
    public RequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(path, "path");
        if (!FieldSyntax.isToken(method)) {
            throw new IllegalArgumentException("method is not a token (RFC 9110 §9.1): " + method);
        }
        if (!FieldSyntax.isScheme(scheme)) {
            throw new IllegalArgumentException("invalid scheme (RFC 3986 §3.1): " + scheme);
        }
        if (!FieldSyntax.isUriText(authority)) {
            throw new IllegalArgumentException("authority holds a byte a URI cannot (RFC 3986)");
        }
        if (!FieldSyntax.isUriText(path)) {
            throw new IllegalArgumentException("path holds a byte a URI cannot (RFC 3986)");
        }
    }
}
