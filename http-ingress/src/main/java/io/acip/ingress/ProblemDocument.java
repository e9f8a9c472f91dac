package io.acip.ingress;

import io.acip.capsule.proxystatus.ProxyStatus;
import java.util.Map;

/**
 * How a failure is told to an agent, whichever stage answers it: {@code Proxy-Status} (RFC 9209) and an RFC 9457
 * {@code application/problem+json} document whose type URI is the same vocabulary everywhere.
 */
public final class ProblemDocument {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_PREFIX = "https://acip.dev/problems/";

    private ProblemDocument() {
    }

    /** The {@code Proxy-Status} value naming this gateway and the failure. */
    public static String proxyStatus(String proxyName, HttpFailure failure) {
        ProxyStatus status = ProxyStatus.of(proxyName).withError(failure.error());
        for (Map.Entry<String, Object> p : new java.util.TreeMap<>(failure.parameters()).entrySet()) {
            status = status.with(p.getKey(), p.getValue());
        }
        return status.withDetails(failure.detail()).toHeaderValue();
    }

    /** The document for {@code failure} at its {@link #status}. */
    public static String json(HttpFailure failure) {
        return json(failure, status(failure));
    }

    /** RFC 9457 §3.1 members, in the order the RFC lists them. */
    static String json(HttpFailure failure, int status) {
        return "{\"type\":\"" + escape(TYPE_PREFIX + failure.error().token()) + "\",\"title\":\"" + escape(title(failure))
                + "\",\"status\":" + status + ",\"detail\":\"" + escape(failure.detail()) + "\"}";
    }

    /** A failure's status, or 502 when it names none an error response can have. */
    public static int status(HttpFailure failure) {
        int s = failure.status();
        return s >= 400 && s <= 599 ? s : 502;
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
