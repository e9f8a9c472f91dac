package io.acip.ingress.jetty;

import java.time.Duration;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;

/**
 * HTTP/1.1 connections whose request heads have a deadline ({@link HeadTimedHttpConnection}) and that remember
 * whether the current request line used absolute-form (RFC 9112 §3.2.2, an
 * agent using the gateway as HTTP_PROXY) or origin-form. Jetty completes an origin-form target with scheme and Host
 * before any handler runs, so afterwards both look alike: only the raw request-target tells them apart.
 */
final class TargetFormHttpConnectionFactory extends HttpConnectionFactory {
    /** Connection attribute: {@link Boolean#TRUE} while the request being handled was sent in absolute-form. */
    static final String ABSOLUTE_FORM = "io.acip.ingress.absoluteForm";

    private final Duration headTimeout;
    private final IngressCounters counters;

    TargetFormHttpConnectionFactory(HttpConfiguration configuration, Duration headTimeout, IngressCounters counters) {
        super(configuration);
        this.headTimeout = headTimeout;
        this.counters = counters;
    }

    /** Whether the request on this connection was sent in absolute-form (always false for HTTP/2). */
    static boolean isAbsoluteForm(ConnectionMetaData connection) {
        return Boolean.TRUE.equals(connection.getAttribute(ABSOLUTE_FORM));
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        FormTrackingConnection connection = new FormTrackingConnection(getHttpConfiguration(), connector, endPoint,
                headTimeout, counters);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    private static final class FormTrackingConnection extends HeadTimedHttpConnection {
        FormTrackingConnection(HttpConfiguration configuration, Connector connector, EndPoint endPoint,
                               Duration headTimeout, IngressCounters counters) {
            super(configuration, connector, endPoint, headTimeout, counters);
        }

        // Called with the raw request-target as the parser read it, before the headers; HTTP/1.1 handles one
        // request at a time per connection, so the attribute is the current request's until the next line.
        @Override
        protected HttpStreamOverHTTP1 newHttpStream(String method, String uri, HttpVersion version) {
            setAttribute(ABSOLUTE_FORM, isAbsoluteForm(method, uri));
            return super.newHttpStream(method, uri, version);
        }

        /** RFC 9112 §3.2: origin-form starts with "/", asterisk-form is "*", CONNECT has authority-form. */
        private static boolean isAbsoluteForm(String method, String target) {
            return target != null && !target.isEmpty() && target.charAt(0) != '/' && !"*".equals(target)
                    && !HttpMethod.CONNECT.is(method);
        }
    }
}
