package io.acip.ingress.jetty;

import java.net.SocketAddress;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;

/**
 * The listener inside intercepted tunnels: TLS with a minted leaf, ALPN h2 and http/1.1, then Jetty's ordinary
 * HTTP/2 and HTTP/1.1 connections. It accepts nothing from the network: {@link #open} makes an in-memory
 * {@link TunnelPipe}, serves one end and returns the other, which the CONNECT tunnel is spliced to.
 *
 * <p>Why not upgrade the tunnel's own endpoint to TLS in place: for an HTTP/2 CONNECT that endpoint is a stream,
 * and stacking TLS, ALPN and a second HTTP/2 session on a stream endpoint leans on paths Jetty does not exercise.
 * Splicing to a fresh endpoint makes the inner side look like any accepted connection, whether the CONNECT came
 * over HTTP/1.1 or HTTP/2, at the cost of one in-memory copy; and unlike a loopback TCP listener it opens no port
 * anyone else on the host could reach.
 */
final class InterceptConnector extends AbstractConnector {
    /** What the served ends report as their own address: there is no socket. */
    private static final SocketAddress LOCAL = new SocketAddress() {
        private static final long serialVersionUID = 1L;

        @Override
        public String toString() {
            return "interception";
        }
    };

    private final int pipeCapacity;

    /** @param pipeCapacity bytes either end may queue before its writes wait for the other end to read */
    InterceptConnector(Server server, int pipeCapacity, ConnectionFactory... factories) {
        super(server, null, null, null, 0, factories);
        this.pipeCapacity = pipeCapacity;
        setName("intercept");
    }

    /**
     * A new intercepted connection for {@code origin}: its server side is open and waiting for the agent's
     * ClientHello; the returned end is where the tunnel's bytes go. The caller installs a connection on it.
     */
    EndPoint open(InterceptedOrigin origin) {
        TunnelPipe pipe = new TunnelPipe(getScheduler(), getExecutor(), pipeCapacity, origin, LOCAL);
        TunnelPipe.End served = pipe.servedSide();
        served.setIdleTimeout(getIdleTimeout());
        Connection connection = getDefaultConnectionFactory().newConnection(this, served);
        served.setConnection(connection);
        served.onClosed(() -> onEndPointClosed(served));
        served.onOpen();
        onEndPointOpened(served);
        connection.onOpen();
        TunnelPipe.End tunnelSide = pipe.tunnelSide();
        tunnelSide.setIdleTimeout(getIdleTimeout());
        return tunnelSide;
    }

    @Override
    public Object getTransport() {
        return null;
    }

    @Override
    protected void accept(int acceptorID) {
        throw new UnsupportedOperationException("the interception listener accepts only through open()");
    }
}
