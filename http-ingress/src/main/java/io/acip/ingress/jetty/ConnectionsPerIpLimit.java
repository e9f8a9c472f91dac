package io.acip.ingress.jetty;

import io.acip.ingress.ConnectionsPerIp;
import io.acip.ingress.ThrottledLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.util.IO;

/**
 * Holds each client IP address to {@link ConnectionsPerIp}'s cap on a TCP listener. Jetty's own limits
 * ({@code NetworkConnectionLimit}, {@code AcceptRateLimit}) count all clients together; this counts by address: a
 * connection over the cap is closed as it is accepted, before any byte is read. Counted per channel, so that each
 * accepted channel is released exactly once, whether it closes or its registration fails.
 */
final class ConnectionsPerIpLimit implements SelectorManager.AcceptListener {
    static final String REFUSED = "ingress.connection.refused_per_ip";
    private static final ThrottledLog LOG = new ThrottledLog(Logger.getLogger(ConnectionsPerIpLimit.class.getName()),
            Duration.ofSeconds(10));

    private final ConnectionsPerIp connections;
    private final IngressCounters counters;
    private final ConcurrentHashMap<SelectableChannel, Runnable> admitted = new ConcurrentHashMap<>();

    ConnectionsPerIpLimit(ConnectionsPerIp connections, IngressCounters counters) {
        this.connections = connections;
        this.counters = counters;
    }

    @Override
    public void onAccepting(SelectableChannel channel) {
        InetSocketAddress peer = peer(channel);
        if (peer == null) return; // already gone: Jetty fails its registration, nothing was counted
        Runnable release = connections.tryOpen(peer.getAddress());
        if (release != null) {
            admitted.put(channel, release);
            return;
        }
        counters.increment(REFUSED);
        LOG.warn(() -> "refused a connection from " + peer.getAddress().getHostAddress() + ": it holds "
                + connections.max() + " already (http.limits.max_connections_per_ip)");
        IO.close(channel); // Jetty's registration of the closed channel fails, and it reports onAcceptFailed
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        release(channel);
    }

    @Override
    public void onClosed(SelectableChannel channel) {
        release(channel);
    }

    private void release(SelectableChannel channel) {
        Runnable release = admitted.remove(channel);
        if (release != null) release.run();
    }

    private static InetSocketAddress peer(SelectableChannel channel) {
        try {
            return channel instanceof SocketChannel s && s.getRemoteAddress() instanceof InetSocketAddress a ? a : null;
        } catch (IOException e) {
            return null;
        }
    }
}
