package io.acip.ingress.jetty;

import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.server.ServerSessionListener;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;

/** h2 over TLS (ALPN) that keeps extended CONNECT accepted whatever the client's SETTINGS say of itself. */
final class H2ConnectionFactory extends HTTP2ServerConnectionFactory {
    H2ConnectionFactory(HttpConfiguration configuration) {
        super(configuration);
    }

    @Override
    protected ServerSessionListener newSessionListener(Connector connector, EndPoint endPoint) {
        return new SessionListener(endPoint);
    }

    private final class SessionListener extends HTTPServerSessionListener {
        SessionListener(EndPoint endPoint) {
            super(endPoint);
        }

        @Override
        public void onSettings(Session session, SettingsFrame frame) {
            ExtendedConnectSettings.keepAccepting(session);
        }
    }
}
