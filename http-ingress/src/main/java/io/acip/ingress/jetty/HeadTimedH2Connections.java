package io.acip.ingress.jetty;

import java.time.Duration;
import org.eclipse.jetty.http2.FlowControlStrategy;
import org.eclipse.jetty.http2.SessionContainer;
import org.eclipse.jetty.http2.api.server.ServerSessionListener;
import org.eclipse.jetty.http2.generator.Generator;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.http2.server.internal.HTTP2ServerConnection;
import org.eclipse.jetty.http2.server.internal.HTTP2ServerSession;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;

/**
 * Builds an HTTP/2 server connection as Jetty 12.1.10's {@code AbstractHTTP2ServerConnectionFactory.newConnection}
 * does, but with a {@link HeadTimedServerParser}: Jetty creates its parser in a private method, and its parser is
 * the only place that sees a header block begin. Keep in step with that method when Jetty is upgraded.
 */
final class HeadTimedH2Connections {
    private HeadTimedH2Connections() {
    }

    /** The connection, not yet configured (the factory's {@code configure} adds its listeners). */
    static HTTP2ServerConnection newConnection(AbstractHTTP2ServerConnectionFactory factory, SessionContainer sessions,
                                               ServerSessionListener listener, Connector connector, EndPoint endPoint,
                                               Duration headTimeout, IngressCounters counters) {
        HttpConfiguration http = factory.getHttpConfiguration();
        Generator generator = new Generator(connector.getByteBufferPool(), factory.isUseOutputDirectByteBuffers(),
                factory.getMaxHeaderBlockFragment());
        int maxResponseHeaderSize = http.getMaxResponseHeaderSize();
        if (maxResponseHeaderSize < 0) maxResponseHeaderSize = http.getResponseHeaderSize();
        generator.getHpackEncoder().setMaxHeaderListSize(maxResponseHeaderSize);
        FlowControlStrategy flowControl = factory.getFlowControlStrategyFactory().newFlowControlStrategy();

        H2HeadDeadline deadline = new H2HeadDeadline(connector.getScheduler(), headTimeout, counters);
        HeadTimedServerParser parser = new HeadTimedServerParser(connector.getByteBufferPool(),
                http.getRequestHeaderSize(), factory.getRateControlFactory().newRateControl(endPoint), deadline);
        parser.setMaxSettingsKeys(factory.getMaxSettingsKeys());

        HTTP2ServerSession session = new HTTP2ServerSession(connector.getScheduler(), endPoint, parser, generator,
                listener, flowControl);
        session.setMaxLocalStreams(factory.getMaxConcurrentStreams());
        session.setMaxRemoteStreams(factory.getMaxConcurrentStreams());
        session.setMaxEncoderTableCapacity(factory.getMaxEncoderTableCapacity());
        long streamIdleTimeout = factory.getStreamIdleTimeout();
        session.setStreamIdleTimeout(streamIdleTimeout == 0 ? endPoint.getIdleTimeout() : streamIdleTimeout);
        session.setInitialSessionRecvWindow(factory.getInitialSessionRecvWindow());
        session.setWriteThreshold(http.getOutputBufferSize());
        session.setConnectProtocolEnabled(factory.isConnectProtocolEnabled());

        HTTP2ServerConnection connection = new HTTP2ServerConnection(connector, endPoint, http, session, listener);
        connection.setUseInputDirectByteBuffers(factory.isUseInputDirectByteBuffers());
        connection.setUseOutputDirectByteBuffers(factory.isUseOutputDirectByteBuffers());
        if (sessions != null) connection.addEventListener(sessions);
        connection.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection opened) {
                deadline.opened(session);
            }

            @Override
            public void onClosed(Connection closed) {
                deadline.closed();
            }
        });
        factory.getEventListeners().forEach(session::addEventListener);
        parser.init(connection);
        return connection;
    }
}
