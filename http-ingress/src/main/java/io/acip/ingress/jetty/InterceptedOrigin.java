package io.acip.ingress.jetty;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Where an intercepted tunnel leads and who opened it. It is the peer address of the in-memory connection the
 * interception listener serves, so the TLS engine (leaf choice) and every request on that connection can read the
 * CONNECT target without a lookup table keyed by something that could be reused.
 *
 * @param host the CONNECT host: a lowercase DNS name or an IP literal without brackets
 * @param agent the agent's address on the outer connection
 * @param listener the outer connection's local address
 * @param attachment what the handler attached to the CONNECT ({@code TunnelDecision.Intercept}), for the requests inside
 */
final class InterceptedOrigin extends SocketAddress {
    private static final long serialVersionUID = 1L;

    private final String host;
    private final int port;
    private final transient InetSocketAddress agent;
    private final transient InetSocketAddress listener;
    private final transient Object attachment;

    InterceptedOrigin(String host, int port, InetSocketAddress agent, InetSocketAddress listener, Object attachment) {
        this.host = host;
        this.port = port;
        this.agent = agent;
        this.listener = listener;
        this.attachment = attachment;
    }

    Object attachment() {
        return attachment;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    InetSocketAddress agent() {
        return agent;
    }

    InetSocketAddress listener() {
        return listener;
    }

    /** {@code host:port}, with brackets around an IPv6 literal (RFC 3986 §3.2.2). */
    String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "intercepted:" + authority() + "<-" + agent;
    }
}
