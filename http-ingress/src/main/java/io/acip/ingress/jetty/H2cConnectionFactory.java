package io.acip.ingress.jetty;

import java.time.Duration;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.SessionContainer;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.server.ServerSessionListener;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;

/**
 * h2c, by {@code Upgrade: h2c} and by prior knowledge, without Jetty 12.1's session leak on that path: an upgraded
 * connection serves the whole first exchange inside its {@code onOpen}, before its listeners hear of the opening,
 * so a client that closes at once (curl does) has the session removed from the factory's container before it is
 * added, and it stays there for good (and a graceful stop waits on it). A listener added after the container's
 * removes it again when the connection turns out to be closed already by the time it was announced as opened.
 * Extended CONNECT stays accepted whatever the client's SETTINGS say ({@link ExtendedConnectSettings}).
 */
final class H2cConnectionFactory extends HTTP2CServerConnectionFactory {
    private final Duration headTimeout;
    private final IngressCounters counters;
    // Jetty's own, kept before IngressServer takes it out of the bean tree (see IngressServer#h2).
    private final SessionContainer sessions;

    H2cConnectionFactory(HttpConfiguration configuration, Duration headTimeout, IngressCounters counters) {
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
    public Connection upgradeConnection(Connector connector, EndPoint endPoint, MetaData.Request request,
                                        HttpFields.Mutable response101) {
        Connection connection = super.upgradeConnection(connector, endPoint, request, response101);
        SessionContainer sessions = getBean(SessionContainer.class);
        if (connection != null && sessions != null) {
            connection.addEventListener(new Connection.Listener() {
                @Override
                public void onOpened(Connection opened) {
                    if (!opened.getEndPoint().isOpen()) sessions.onClosed(opened);
                }
            });
        }
        return connection;
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
