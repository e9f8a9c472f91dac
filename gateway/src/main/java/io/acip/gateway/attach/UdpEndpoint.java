package io.acip.gateway.attach;

import java.net.InetSocketAddress;
import java.util.Objects;

/** Where an agent receives UDP (e.g. its QUIC server): a host name or IP literal and a port. */
public record UdpEndpoint(String host, int port) {
    public UdpEndpoint {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= 0x20 || c >= 0x7F || c == '/' || c == '@' || c == '['
                || c == ']')) {
            throw new IllegalArgumentException("not a host name or IP literal: '" + host + "'");
        }
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of 1..65535: " + port);
    }

    /** Parses {@code host:port} or {@code [v6]:port}; the port is required. */
    public static UdpEndpoint parse(String text) {
        Objects.requireNonNull(text, "text");
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [v6-address]:port, got '" + text + "'");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            // Brackets hold an IPv6 literal and nothing else (RFC 3986 §3.2.2): "[[x]:1" or "[name]:1" is no address.
            if (host.indexOf(':') < 0 || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                throw new IllegalArgumentException("not an IPv6 literal in brackets: '" + text + "'");
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("expected host:port, got '" + text + "'");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("port is not a number: '" + port + "'");
        }
        return new UdpEndpoint(host, Integer.parseInt(port));
    }

    /** An unresolved address: resolution happens when a flow is opened, so DNS changes are followed. */
    public InetSocketAddress address() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
