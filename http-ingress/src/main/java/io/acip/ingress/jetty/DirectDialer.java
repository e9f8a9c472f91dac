package io.acip.ingress.jetty;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.HttpFailure;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.Promise;

/**
 * Opens the TCP connection of a {@code Direct} CONNECT with Jetty's {@link ClientConnector} (non-blocking, with a
 * connect timeout). The address comes resolved and policy-checked from the handler: nothing is looked up here.
 */
final class DirectDialer {
    private final ClientConnector connector;

    DirectDialer(ClientConnector connector) {
        this.connector = connector;
    }

    /**
     * Connects; {@code sideFactory} makes the connection for the new endpoint, and {@code opened} hears of it once
     * that connection is open (ClientConnector completes the promise itself, either way), or of the failure.
     */
    void dial(InetSocketAddress address, Function<EndPoint, SpliceConnection> sideFactory,
              Promise<SpliceConnection> opened) {
        Map<String, Object> context = new HashMap<>();
        context.put(Transport.CONTEXT_KEY, Transport.TCP_IP);
        context.put(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY, opened);
        context.put(ClientConnectionFactory.CONTEXT_KEY,
                (ClientConnectionFactory) (endPoint, ctx) -> sideFactory.apply(endPoint));
        try {
            connector.connect(address, context);
        } catch (RuntimeException e) {
            opened.failed(e);
        }
    }

    /** The answer for a failed connect, with the RFC 9209 §2.3 type that names what went wrong. */
    static HttpFailure failureOf(InetSocketAddress address, Throwable cause) {
        String to = address.getAddress() == null ? address.getHostString() + ":" + address.getPort()
                : address.getAddress().getHostAddress() + ":" + address.getPort();
        if (cause instanceof ConnectException) {
            return new HttpFailure(502, ProxyErrorType.CONNECTION_REFUSED, "connection to " + to + " refused");
        }
        if (cause instanceof NoRouteToHostException) {
            return new HttpFailure(502, ProxyErrorType.DESTINATION_IP_UNROUTABLE, "no route to " + to);
        }
        if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
            return new HttpFailure(504, ProxyErrorType.CONNECTION_TIMEOUT, "connecting to " + to + " timed out");
        }
        return new HttpFailure(503, ProxyErrorType.DESTINATION_UNAVAILABLE, "cannot connect to " + to + ": "
                + cause.getClass().getSimpleName());
    }
}
