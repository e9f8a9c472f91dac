package io.acip.ingress.jetty;

import io.acip.capsule.proxystatus.ProxyStatus;
import io.acip.ingress.HttpFailure;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * An error answered by this gateway: the failure's status, {@code Proxy-Status: <name>; error=<type>;
 * details="..."} (RFC 9209 §2) and an {@code application/problem+json} document (RFC 9457 §3).
 */
final class ProblemResponse {
    static final String MEDIA_TYPE = "application/problem+json";
    /** The same problem type URIs the gateway's bridge uses, so an agent sees one vocabulary. */
    static final String TYPE_PREFIX = "https://acip.dev/problems/";

    private ProblemResponse() {
    }

    /** Sets status and fields on an uncommitted response and writes the document as its whole content. */
    static void write(Response response, String proxyName, HttpFailure failure, Callback callback) {
        int status = statusOf(failure);
        byte[] body = json(failure, status).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(ProxyStatus.FIELD_NAME, proxyStatus(proxyName, failure));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MEDIA_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    static String proxyStatus(String proxyName, HttpFailure failure) {
        return ProxyStatus.of(proxyName).withError(failure.error()).withDetails(failure.detail()).toHeaderValue();
    }

    /** RFC 9457 §3.1 members, in the order the RFC lists them. */
    static String json(HttpFailure failure, int status) {
        return "{\"type\":\"" + escape(TYPE_PREFIX + failure.error().token()) + "\",\"title\":\"" + escape(title(failure))
                + "\",\"status\":" + status + ",\"detail\":\"" + escape(failure.detail()) + "\"}";
    }

    /** A failure's status, or 502 when it names none an error response can have. */
    static int statusOf(HttpFailure failure) {
        int s = failure.status();
        return s >= 400 && s <= 599 ? s : HttpStatus.BAD_GATEWAY_502;
    }

    /** RFC 9457 §3.1.3: the same for every occurrence of the type, so derived from the type alone. */
    private static String title(HttpFailure failure) {
        String t = failure.error().token().replace('_', ' ');
        return Character.toUpperCase(t.charAt(0)) + t.substring(1);
    }

    /** RFC 8259 §7: quote, backslash and control characters escaped; U+2028/9 too, for JavaScript readers. */
    static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
