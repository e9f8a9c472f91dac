package io.acip.gateway.e2e;

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

/**
 * A real etcd (Debian's etcd-server, installed by .ci/test-deps) on loopback: a temporary data directory, free
 * ports, ready once {@code /health} says so (bounded). It can be stopped and started again on the same ports and
 * data, as an outage.
 */
final class EtcdServer implements AutoCloseable {
    private final Path data;
    private final int clientPort;
    private final int peerPort;
    private final Path log;
    private Process process;

    private EtcdServer(Path dir) throws IOException {
        this.data = dir.resolve("etcd-data");
        this.log = dir.resolve("etcd.log");
        this.clientPort = freePort();
        int peer = freePort();
        while (peer == clientPort) peer = freePort();
        this.peerPort = peer;
    }

    /**
     * A running etcd on two free ports. Ports are found free and then handed to etcd, so another process may take one
     * in between (etcd then exits at once): a start that dies so is tried again on other ports, up to three times,
     * each in a directory of its own (a data directory etcd began keeps the member's first peer address).
     */
    static EtcdServer start(Path dir) throws Exception {
        for (int attempt = 1; ; attempt++) {
            EtcdServer e = new EtcdServer(attempt == 1 ? dir
                    : java.nio.file.Files.createDirectories(dir.resolve("attempt-" + attempt)));
            try {
                e.start();
                return e;
            } catch (EtcdExited exited) {
                if (attempt == 3) throw exited;
            }
        }
    }

    /** etcd ended before it was healthy. */
    static final class EtcdExited extends IllegalStateException {
        EtcdExited(String message) {
            super(message);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    void start() throws Exception {
        String client = endpoint();
        String peer = "http://127.0.0.1:" + peerPort;
        process = new ProcessBuilder(List.of("etcd", "--name", "test", "--data-dir", data.toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "test=" + peer, "--log-level", "warn"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitHealthy(Duration.ofSeconds(20));
    }

    /** Polls {@code /health} until etcd says it is healthy; fails naming its log past {@code within}. */
    private void awaitHealthy(Duration within) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                List<String> lines = java.nio.file.Files.readAllLines(log);
                throw new EtcdExited("etcd exited " + process.exitValue() + "; the end of " + log + ":\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"health\":\"true\"")) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            process.waitFor(50, TimeUnit.MILLISECONDS); // returns at once if etcd dies
        }
        throw new IllegalStateException("etcd not healthy within " + within + "; see " + log);
    }

    /** An outage: the process is killed (as a crash would) and its ports closed. */
    void stop() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
