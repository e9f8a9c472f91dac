package io.acip.ingress.jetty;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.HttpFailure;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The target of a CONNECT: authority-form {@code host:port} (RFC 9110 §9.3.6, RFC 9112 §3.2.3; HTTP/2 carries the
 * same in {@code :authority}, RFC 9113 §8.5).
 *
 * @param host a lowercase DNS name, an IPv4 literal, or an IPv6 literal without brackets
 */
record ConnectTarget(String host, int port) {
    private static final int MAX_HOST_LENGTH = 253; // RFC 1035 §2.3.4, as text without the root dot

    /** The target, or a 400 rejection naming what is wrong with it. */
    static ConnectTarget parse(String authority) throws RejectedRequest {
        if (authority == null || authority.isEmpty()) {
            throw reject("CONNECT needs a host:port target (RFC 9110 §9.3.6)");
        }
        if (authority.indexOf('@') >= 0) {
            throw reject("a CONNECT target has no userinfo (RFC 9112 §3.2.3)");
        }
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0 || close + 1 >= authority.length() || authority.charAt(close + 1) != ':') {
                throw reject("a CONNECT target needs a port: [address]:port");
            }
            host = ipv6(authority.substring(1, close));
            port = authority.substring(close + 2);
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon < 0) throw reject("a CONNECT target needs a port (RFC 9110 §9.3.6): " + authority);
            host = authority.substring(0, colon);
            port = authority.substring(colon + 1);
            if (host.indexOf(':') >= 0) throw reject("an IPv6 CONNECT target needs brackets (RFC 3986 §3.2.2)");
            if (!isRegName(host)) throw reject("not a host name or IPv4 address: " + host);
            host = host.toLowerCase(Locale.ROOT);
        }
        return new ConnectTarget(host, port(port));
    }

    /** host:port, with brackets around an IPv6 literal. */
    String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static int port(String text) throws RejectedRequest {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw reject("not a port number: \"" + text + "\"");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) throw reject("port out of 1..65535: " + port);
        return port;
    }

    /** DNS labels: letters, digits, hyphen, underscore (real service names use it), dots between them. */
    private static boolean isRegName(String host) {
        if (host.isEmpty() || host.length() > MAX_HOST_LENGTH || host.startsWith(".") || host.contains("..")) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_';
            if (!ok) return false;
        }
        return true;
    }

    private static String ipv6(String literal) throws RejectedRequest {
        boolean chars = !literal.isEmpty() && literal.chars().allMatch(c -> Character.digit(c, 16) >= 0
                || c == ':' || c == '.');
        if (!chars || literal.indexOf(':') < 0) throw reject("not an IPv6 address: [" + literal + "]");
        try {
            // Bracketed, the JDK parses it as a literal and never asks DNS.
            return InetAddress.getByName("[" + literal + "]").getHostAddress();
        } catch (UnknownHostException e) {
            throw reject("not an IPv6 address: [" + literal + "]");
        }
    }

    private static RejectedRequest reject(String detail) {
        return new RejectedRequest(new HttpFailure(400, ProxyErrorType.HTTP_REQUEST_ERROR, detail));
    }
}
