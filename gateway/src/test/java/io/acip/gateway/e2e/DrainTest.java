package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.Gateway;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.demo.DemoAgents;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful drain (SIGTERM, {@code POST /drain}): the node stops taking new work, lets what is in flight finish within
 * {@code shutdown.drain_timeout}, cuts the rest, and exits within the timeout and two seconds more.
 */
class DrainTest {
    private static final Pattern STARTED = Pattern.compile("node \\S+ started.*http on \\[(\\d+), -?\\d+\\]");

    @TempDir
    static Path dir;
    static DemoAgents agents;

    @BeforeAll
    static void start() throws Exception {
        agents = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() {
        if (agents != null) agents.close();
    }

    private static GatewayConfig edge(Path data, String drainTimeout) {
        return new GatewayConfig(new GatewayConfig.Node("edge", null, data.toString(), null, List.of(), List.of(),
                null, null),
                new GatewayConfig.Http("acip-edge", "127.0.0.1:0", null, null, null, null, null, List.of(), List.of(),
                        List.of(), "5s"),
                null, List.of(new GatewayConfig.Agent("demo", agents.uri().toString(), false, false, List.of(
                        new GatewayConfig.AgentSkill("demo/sse", "/sse", "", Map.of()),
                        new GatewayConfig.AgentSkill("demo/echo", "", "", Map.of())))),
                new GatewayConfig.Admin("127.0.0.1:0"), null, null, null, new GatewayConfig.Shutdown(drainTimeout));
    }

    /** curl streaming {@code n} events 100 ms apart; returned once the first event arrived. */
    private static Stream sse(int port, int n) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/curl", "-sSN", "--max-time", "60",
                "http://127.0.0.1:" + port + "/skills/demo/sse/?n=" + n + "&interval_ms=100");
        pb.environment().keySet().removeIf(k -> k.toLowerCase().endsWith("_proxy"));
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first;
        while ((first = out.readLine()) != null && !first.startsWith("data:")) {
            // until the first event
        }
        assertTrue(first != null, "the stream started");
        Stream s = new Stream(p);
        s.events = 1;
        CompletableFuture.runAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) if (line.startsWith("data:")) s.events++;
            } catch (java.io.IOException ignored) {
                // the stream broke: its exit code says how
            }
            s.done.complete(null);
        });
        return s;
    }

    private static final class Stream {
        final Process process;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile int events;

        Stream(Process process) {
            this.process = process;
        }

        int exit() throws Exception {
            done.get(30, TimeUnit.SECONDS);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            return process.exitValue();
        }
    }

    @Test
    void aStreamThatEndsWithinTheWindowCompletesAndNothingNewIsAccepted() throws Exception {
        Gateway g = Gateway.start(edge(dir.resolve("a"), "10s"));
        int port = g.httpPorts()[0];
        Stream s = sse(port, 15); // 1.5 s of events
        long t0 = System.nanoTime();
        CompletableFuture<Void> drained = g.drain();
        // New connections are no longer accepted.
        Curl.Result late = Curl.run("--max-time", "5", "http://127.0.0.1:" + port + "/skills/demo/echo/late");
        assertNotEquals(0, late.exit(), late.out());
        assertEquals(0, s.exit(), "the stream in flight ended cleanly");
        assertEquals(15, s.events);
        drained.get(10, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 8_000, "drained as soon as the stream ended, not at the timeout: " + ms + " ms");
        assertEquals(0, g.metrics().get("gateway.drain.cut_exchanges"));
        assertEquals(0, g.metrics().get("gateway.drain.cut_sessions"));
    }

    @Test
    void aStreamThatOutlivesTheWindowIsCutAtTheDeadline() throws Exception {
        Gateway g = Gateway.start(edge(dir.resolve("b"), "2s"));
        Stream s = sse(g.httpPorts()[0], 1000); // 100 s of events
        long t0 = System.nanoTime();
        g.drain().get(10, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 1_900 && ms < 4_000, "cut at the 2 s deadline: " + ms + " ms");
        assertNotEquals(0, s.exit(), "the agent sees the stream cut, not a clean end");
        assertTrue(s.events > 5 && s.events < 1000, s.events + " events");
        assertTrue(g.metrics().get("gateway.drain.cut_exchanges") + g.metrics().get("gateway.drain.cut_sessions") > 0);
    }

    @Test
    void postDrainOnTheAdminListenerStopsTheNode() throws Exception {
        Gateway g = Gateway.start(edge(dir.resolve("c"), "5s"));
        Curl.Result r = Curl.run("-i", "-X", "POST", "http://127.0.0.1:" + g.adminPort() + "/drain");
        assertEquals(202, r.status(), r.out());
        g.whenDrained().get(10, TimeUnit.SECONDS);
    }

    @Test
    void sigtermLetsAStreamFinishInsideTheWindowCutsOneThatDoesNotAndExitsInTime() throws Exception {
        Path yaml = dir.resolve("edge.yaml");
        Files.writeString(yaml, String.join("\n",
                "node: {id: edge, data_dir: " + dir.resolve("d") + "}",
                "http: {name: acip-edge, listen: 127.0.0.1:0}",
                "agents:",
                "  - name: demo",
                "    origin: " + agents.uri(),
                "    skills: [{name: demo/sse, path: /sse}]",
                "shutdown: {drain_timeout: 2s}", ""));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.leakDetection.level=disabled", "-cp", System.getProperty("java.class.path"),
                io.acip.gateway.Main.class.getName(), "--config", yaml.toString()));
        Process node = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader log = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            String line;
            StringBuilder seen = new StringBuilder();
            while (port < 0 && (line = log.readLine()) != null) {
                seen.append(line).append('\n');
                Matcher m = STARTED.matcher(line);
                if (m.find()) port = Integer.parseInt(m.group(1));
            }
            assertTrue(port > 0, seen.toString());
            CompletableFuture.runAsync(() -> {
                try {
                    log.transferTo(java.io.Writer.nullWriter());
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            Stream s = sse(port, 1000);
            Stream shortOne = sse(port, 10); // ends a second later, inside the 2 s window
            long t0 = System.nanoTime();
            node.destroy(); // SIGTERM
            assertTrue(node.waitFor(10, TimeUnit.SECONDS), "the node exited");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 1_900 && ms <= 4_000, "exited within drain_timeout + 2 s, after the window: " + ms + " ms");
            assertEquals(0, node.exitValue() == 143 ? 0 : node.exitValue(), "exit status " + node.exitValue());
            assertNotEquals(0, s.exit(), "the stream that outlived the window was cut");
            assertEquals(0, shortOne.exit(), "the stream that ended inside the window ended cleanly");
            assertEquals(10, shortOne.events);
        } finally {
            node.destroyForcibly();
        }
    }
}
