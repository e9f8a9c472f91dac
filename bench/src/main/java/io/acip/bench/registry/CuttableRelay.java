package io.acip.bench.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback in front of etcd for one replica: {@link #cut} closes every connection and refuses new
 * ones (that replica alone loses etcd), {@link #restore} listens again on the same port.
 */
final class CuttableRelay implements AutoCloseable {
    private final int port;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    CuttableRelay(int target) throws IOException {
        this.target = target;
        this.port = LocalEtcd.freePort();
        restore();
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    synchronized void restore() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread t = new Thread(() -> accept(s), "relay-accept");
        t.setDaemon(true);
        t.start();
    }

    synchronized void cut() throws IOException {
        server.close();
        for (Socket s : open) s.close();
        open.clear();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket in;
            try {
                in = s.accept();
            } catch (IOException closed) {
                return;
            }
            try {
                Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(in);
                open.add(out);
                pump(in, out);
                pump(out, in);
            } catch (IOException etcdDown) {
                try {
                    in.close(); // as etcd itself would: the connection is refused
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) out.write(buf, 0, n);
            } catch (IOException ended) {
                // either side closed, or the relay was cut
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
