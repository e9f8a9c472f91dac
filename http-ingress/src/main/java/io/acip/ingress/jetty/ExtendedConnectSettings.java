package io.acip.ingress.jetty;

import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;

/**
 * RFC 8441 §3: SETTINGS_ENABLE_CONNECT_PROTOCOL says what the <em>sender</em> accepts. Jetty 12.1 applies the
 * client's value to the server's own session, so a client that sends 0x08=0 (python-h2 does, by default) has every
 * extended CONNECT reset. The server advertises 1 and keeps accepting whatever the client says of itself: each
 * factory's session listener calls {@link #keepAccepting} after every SETTINGS frame from the client (Jetty
 * notifies listeners after it applied the values, before it reads the next frame).
 */
final class ExtendedConnectSettings {
    private ExtendedConnectSettings() {
    }

    static void keepAccepting(Session session) {
        if (session instanceof HTTP2Session http2) http2.setConnectProtocolEnabled(true);
    }
}
