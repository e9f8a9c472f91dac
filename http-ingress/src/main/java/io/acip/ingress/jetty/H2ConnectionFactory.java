package io.acip.ingress.jetty;

import java.time.Duration;
import org.eclipse.jetty.http2.SessionContainer;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.server.ServerSessionListener;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;

/**
 * h2 over TLS (ALPN) with a head deadline ({@link H2HeadDeadline}), keeping extended CONNECT accepted whatever the
 * client's SETTINGS say of itself.
 */
final class H2ConnectionFactory extends HTTP2ServerConnectionFactory {
    private final Duration headTimeout;
    private final IngressCounters counters;
    // Jetty's own, kept before IngressServer takes it out of the bean tree (see IngressServer#h2).
    private final SessionContainer sessions;

    H2ConnectionFactory(HttpConfiguration configuration, Duration headTimeout, IngressCounters counters) {
        super(configuration);
        this.headTimeout = headTimeout;
        this.counters = counters;
        this.sessions = getBean(SessionContainer.class);
    }

    /** Jetty's connection with a head deadline ({@link H2HeadDeadline}). */
    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        return configure(HeadTimedH2Connections.newConnection(this, sessions, newSessionListener(connector, endPoint),
                connector, endPoint, headTimeout, counters), connector, endPoint);
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
