package io.acip.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One gateway node in a JVM of its own ({@code java -jar acip-gateway.jar --config}; its heap touched at start, so
 * resident memory shows what grows outside it), and what the soak samples of it:
 * heap after a full GC (jcmd), resident memory, threads and file descriptors (/proc), sessions and link labels (its
 * admin {@code /healthz}).
 */
final class NodeProcess implements AutoCloseable {
    /** One sample of a node. */
    record Sample(long heapAfterGcKib, long rssKib, long threads, long fds, long sessions, long labels) {
        static final List<String> NAMES = List.of("heap_after_gc_kib", "rss_kib", "threads", "fds", "sessions", "labels");

        long get(int i) {
            return switch (i) {
                case 0 -> heapAfterGcKib;
                case 1 -> rssKib;
                case 2 -> threads;
                case 3 -> fds;
                case 4 -> sessions;
                default -> labels;
            };
        }
    }

    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final Pattern SESSIONS = Pattern.compile("\"sessions\":(\\d+)");
    private static final Pattern LABELS = Pattern.compile("\"labels\":(\\d+)");

    final String name;
    final int adminPort;
    private final Process process;
    private final HttpClient admin = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private NodeProcess(String name, int adminPort, Process process) {
        this.name = name;
        this.adminPort = adminPort;
        this.process = process;
    }

    /** Starts the node and returns once it logged that it started. */
    static NodeProcess start(String name, Path jar, Path config, Path log, int adminPort, String heap)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch", "-Dio.netty.leakDetection.level=disabled", "-jar", jar.toString(),
                "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        NodeProcess node = new NodeProcess(name, adminPort, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IOException(name + " exited: see " + log);
            if (Files.readString(log).contains("node " + name + " started")) return node;
            Thread.sleep(100); // polling a log file a process writes: nothing to wait on
        }
        node.close();
        throw new IOException(name + " did not start in 60 s: see " + log);
    }

    long pid() {
        return process.pid();
    }

    Sample sample() throws IOException, InterruptedException {
        run("jcmd", Long.toString(pid()), "GC.run");
        Matcher used = USED.matcher(run("jcmd", Long.toString(pid()), "GC.heap_info"));
        long heap = used.find() ? Long.parseLong(used.group(1)) : -1;
        String status = Files.readString(Path.of("/proc", Long.toString(pid()), "status"));
        long fds;
        try (var s = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            fds = s.count();
        }
        String health;
        try {
            health = admin.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthz"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            health = "";
        }
        return new Sample(heap, statusField(status, "VmRSS"), statusField(status, "Threads"), fds,
                number(SESSIONS, health), number(LABELS, health));
    }

    private static long number(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static long statusField(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the node drains
        if (!process.waitFor(40, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
