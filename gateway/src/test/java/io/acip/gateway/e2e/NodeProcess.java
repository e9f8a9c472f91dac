package io.acip.gateway.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A gateway node in a JVM of its own ({@code io.acip.gateway.Main --config}), for tests that kill, stop and restart
 * nodes. Its output goes to a log file; {@link #start} returns once the node logged that it started.
 */
final class NodeProcess implements AutoCloseable {
    private final String name;
    private final Path config;
    private final Path log;
    private Process process;

    NodeProcess(String name, Path dir, String yaml) throws IOException {
        this.name = name;
        this.config = dir.resolve(name + ".yaml");
        this.log = dir.resolve(name + ".log");
        Files.writeString(config, yaml);
    }

    /** Starts (or starts again) the node, and waits until it is up. */
    NodeProcess start() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-Dio.netty.leakDetection.level=disabled", "-cp", System.getProperty("java.class.path"),
                io.acip.gateway.Main.class.getName(), "--config", config.toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Void> started = new CompletableFuture<>();
        Process p = process;
        Thread copier = new Thread(() -> {
            try (var w = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
                String line;
                while ((line = out.readLine()) != null) {
                    w.write(line);
                    w.newLine();
                    w.flush();
                    if (line.contains("node " + name + " started")) started.complete(null);
                }
            } catch (IOException ignored) {
                // the process ended
            }
            started.completeExceptionally(new IOException(name + " exited (" + (p.isAlive() ? "?" : p.exitValue())
                    + ") before it started: see " + log));
        }, "log-" + name);
        copier.setDaemon(true);
        copier.start();
        started.get(60, TimeUnit.SECONDS);
        return this;
    }

    /** SIGKILL: the node vanishes without a word to its neighbours (a crash, a pulled cable). */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the node drains; returns its exit status once it exited. */
    int terminate(long timeoutMillis) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) return -1;
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) kill();
    }
}
