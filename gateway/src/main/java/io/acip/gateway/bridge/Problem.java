package io.acip.gateway.bridge;

import io.acip.ingress.HttpFailure;

/** RFC 9457 problem details for a failure, as JSON. */
public final class Problem {
    private Problem() {
    }

    public static String json(HttpFailure f) {
        return "{\"type\":\"https://acip.dev/problems/" + f.error().token() + "\",\"title\":\"" + escape(title(f))
                + "\",\"status\":" + f.status() + ",\"detail\":\"" + escape(f.detail()) + "\"}";
    }

    private static String title(HttpFailure f) {
        String t = f.error().token().replace('_', ' ');
        return Character.toUpperCase(t.charAt(0)) + t.substring(1);
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
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
