package io.acip.gateway.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.acip.gateway.Gateway;
import io.acip.gateway.demo.DemoAgents;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logs as an operator's shipper reads them: a node process with {@code logging.format: json} writes only JSON lines,
 * and an access line per exchange (identity, skill, status, duration, bytes each way, trajectory) sent by curl; with
 * {@code logging.access: false} there is none.
 */
class AccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static DemoAgents demo;

    @BeforeAll
    static void start() throws Exception {
        demo = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) demo.close();
    }

    static String yaml(String id, String http, String logging) {
        return "node:\n  id: " + id + "\n  fabric_ca: " + dir.resolve("ca") + "\n  data_dir: " + dir.resolve(id)
                + "\nhttp:\n  name: " + id + "\n  listen: " + http + "\n  skills: [demo/echo]\nagents:\n  - name: demo\n"
                + "    origin: " + demo.uri() + "\n    skills:\n      - name: demo/echo\n" + logging;
    }

    static int curl(String url, String body) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/curl", "-sS", "--max-time", "30", "-o", "/dev/null", "-w",
                "%{http_code}", "--data-binary", body, url).start();
        String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(40, TimeUnit.SECONDS));
        return status.isEmpty() ? 0 : Integer.parseInt(status);
    }

    @Test
    void aJsonNodeWritesOneObjectPerLineAndAnAccessLinePerExchange() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path file = dir.resolve("json.yaml");
        Files.writeString(file, yaml("jsonlog", "127.0.0.1:" + port, "logging:\n  format: json\n"));
        Path log = dir.resolve("json.log");
        Process node = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.leakDetection.level=disabled", "-cp", System.getProperty("java.class.path"),
                io.acip.gateway.Main.class.getName(), "run", "--config", file.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String url = "http://127.0.0.1:" + port + "/skills/demo/echo/logged";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (curl(url, "twelve bytes") != 200) { // until the node listens
                assertTrue(node.isAlive() && System.nanoTime() < deadline, Files.readString(log));
                Thread.sleep(50);
            }
            JsonNode access = null;
            while (access == null) {
                for (String line : Files.readAllLines(log)) {
                    if (line.isBlank()) continue;
                    JsonNode n = JSON.readTree(line); // every line is a JSON object, or this throws
                    assertTrue(n.has("time") && n.has("level") && n.has("logger") && n.has("message"), line);
                    if ("exchange".equals(n.path("kind").asText())) access = n;
                }
                assertTrue(access != null || System.nanoTime() < deadline, "no access line: " + Files.readString(log));
                if (access == null) Thread.sleep(50);
            }
            assertEquals("io.acip.access", access.get("logger").asText());
            assertEquals("anonymous", access.get("identity").asText());
            assertEquals("demo/echo", access.get("skill").asText());
            assertEquals("POST", access.get("method").asText());
            assertEquals("/skills/demo/echo/logged", access.get("path").asText());
            assertEquals("200", access.get("status").asText());
            assertEquals(12, access.get("bytes_in").asLong());
            assertTrue(access.get("bytes_out").asLong() > 12, access.toString());
            assertTrue(access.get("duration_ms").asDouble() > 0, access.toString());
            assertEquals("jsonlog", access.get("trajectory").get(0).asText(), access.toString());
        } finally {
            node.destroy();
            node.waitFor(40, TimeUnit.SECONDS);
        }
    }

    /** Collects what the access logger writes in this JVM. */
    static final class Collected extends Handler {
        final BlockingQueue<LogRecord> records = new LinkedBlockingQueue<>();

        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theTextLineAndTurningItOff() throws Exception {
        Collected collected = new Collected();
        Level was = AccessLog.LOG.getLevel();
        AccessLog.LOG.setLevel(Level.INFO); // the test runs' logging settings keep INFO out
        AccessLog.LOG.addHandler(collected);
        List<Gateway> nodes = new ArrayList<>();
        try {
            Path on = dir.resolve("on.yaml");
            Files.writeString(on, yaml("texton", "127.0.0.1:0", ""));
            Gateway g = Gateway.start(Gateway.load(on));
            nodes.add(g);
            assertEquals(200, curl("http://127.0.0.1:" + g.httpPorts()[0] + "/skills/demo/echo/x", "abc"));
            LogRecord r = collected.records.poll(10, TimeUnit.SECONDS);
            assertTrue(r != null, "an access line");
            assertTrue(r.getMessage().matches("exchange anonymous POST /skills/demo/echo/x HTTP/1.1 200 [0-9.]+ms in=3 "
                    + "out=\\d+ skill=demo/echo trajectory=texton"), r.getMessage());

            Path off = dir.resolve("off.yaml");
            Files.writeString(off, yaml("textoff", "127.0.0.1:0", "logging:\n  access: false\n"));
            Gateway quiet = Gateway.start(Gateway.load(off));
            nodes.add(quiet);
            assertEquals(200, curl("http://127.0.0.1:" + quiet.httpPorts()[0] + "/skills/demo/echo/x", "abc"));
            // A line after this one from the first node shows the second's would have been seen by now.
            assertEquals(200, curl("http://127.0.0.1:" + g.httpPorts()[0] + "/skills/demo/echo/after", "abc"));
            LogRecord next = collected.records.poll(10, TimeUnit.SECONDS);
            assertTrue(next != null && next.getMessage().contains("/after"), "only the first node logs: "
                    + (next == null ? null : next.getMessage()));
        } finally {
            AccessLog.LOG.removeHandler(collected);
            AccessLog.LOG.setLevel(was);
            for (Gateway g : nodes) g.close();
        }
    }
}
