package io.acip.gateway.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * A UDP relay between one client and a server on loopback, standing in for a network path: it forwards both ways
 * until {@link #blackhole} makes it drop every datagram silently (no ICMP, no close: a link that just goes quiet).
 */
final class UdpRelay implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private volatile SocketAddress client;
    private volatile boolean dropping;
    private final Thread thread;

    UdpRelay(InetSocketAddress server) throws SocketException {
        this.server = server;
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::relay, "udp-relay");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    void blackhole() {
        dropping = true;
    }

    private void relay() {
        byte[] buf = new byte[65_535];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                if (dropping) continue;
                SocketAddress to;
                if (p.getSocketAddress().equals(server)) {
                    to = client;
                } else {
                    client = p.getSocketAddress();
                    to = server;
                }
                if (to != null) socket.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), to));
            } catch (IOException e) {
                // closed, or one datagram lost: a relay drops, as the network would
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
