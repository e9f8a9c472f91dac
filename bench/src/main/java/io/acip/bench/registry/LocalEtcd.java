package io.acip.bench.registry;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's etcd on loopback with a data directory of its own, ready once {@code /health} says so (bounded). */
final class LocalEtcd implements AutoCloseable {
    private final Path dir;
    private final int clientPort = freePort();
    private final int peerPort = freePort();
    private Process process;

    LocalEtcd(Path dir) throws IOException {
        this.dir = dir;
    }

    String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    int port() {
        return clientPort;
    }

    void start() throws Exception {
        String client = endpoint();
        String peer = "http://127.0.0.1:" + peerPort;
        process = new ProcessBuilder(List.of("etcd", "--name", "bench", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer, "--initial-cluster", "bench=" + peer, "--log-level", "warn"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log")
                        .toFile())).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("etcd exited; see " + dir.resolve("etcd.log"));
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client + "/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.body().contains("\"health\":\"true\"")) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("etcd not healthy within 20 s; see " + dir.resolve("etcd.log"));
    }

    void stop() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
