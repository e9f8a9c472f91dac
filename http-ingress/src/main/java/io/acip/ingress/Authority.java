package io.acip.ingress;

import java.util.Locale;

/** Splits an RFC 3986 authority ({@code host}, {@code host:port}, {@code [v6]:port}) into host and port. */
public final class Authority {
    private Authority() {
    }

    public static String host(String authority) {
        if (authority == null) return "";
        String a = authority;
        int at = a.lastIndexOf('@');
        if (at >= 0) a = a.substring(at + 1);
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return (end < 0 ? a.substring(1) : a.substring(1, end)).toLowerCase(Locale.ROOT);
        }
        int colon = a.lastIndexOf(':');
        return (colon < 0 ? a : a.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    /** The port, {@code defaultPort} when absent, -1 when present but not a port number. */
    public static int port(String authority, int defaultPort) {
        if (authority == null) return defaultPort;
        int close = authority.lastIndexOf(']');
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || colon < close) return defaultPort;
        String p = authority.substring(colon + 1);
        if (p.isEmpty()) return defaultPort;
        if (p.length() > 5 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) return -1;
        int port = Integer.parseInt(p);
        return port >= 1 && port <= 65535 ? port : -1;
    }
}
