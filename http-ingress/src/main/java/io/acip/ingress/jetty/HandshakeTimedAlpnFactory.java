package io.acip.ingress.jetty;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * ALPN whose negotiation, and so the TLS handshake beneath it, must end within the head deadline counted from the
 * connection's accept; a handshake trickled past it is closed. Jetty's TLS has no handshake timeout of its own (its
 * idle timeout restarts with every byte). One task on Jetty's scheduler per connection, cancelled when the
 * negotiated protocol takes over; that protocol's head gets what is left of the deadline (HTTP/1.1) or its own
 * (HTTP/2's preface).
 */
final class HandshakeTimedAlpnFactory extends ALPNServerConnectionFactory {
    static final String TIMED_OUT = "ingress.tls.handshake_timeout";

    private final Duration timeout;
    private final IngressCounters counters;

    HandshakeTimedAlpnFactory(Duration timeout, IngressCounters counters, String... protocols) {
        super(protocols);
        this.timeout = timeout;
        this.counters = counters;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        Connection alpn = super.newConnection(connector, endPoint);
        long age = Math.max(0, System.currentTimeMillis() - endPoint.getCreatedTimeStamp());
        Scheduler.Task task = connector.getScheduler().schedule(() -> {
            if (endPoint.getConnection() == alpn && endPoint.isOpen()) {
                counters.increment(TIMED_OUT);
                endPoint.close(new TimeoutException("TLS handshake and ALPN not done within " + timeout.toMillis()
                        + " ms"));
            }
        }, Math.max(0, timeout.toMillis() - age), TimeUnit.MILLISECONDS);
        alpn.addEventListener(new Connection.Listener() {
            @Override
            public void onClosed(Connection connection) {
                task.cancel();
            }
        });
        return alpn;
    }
}
