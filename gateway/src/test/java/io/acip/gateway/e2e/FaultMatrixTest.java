package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.demo.DemoAgents;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What agents see when parts of a fabric fail, with nodes in JVMs of their own on loopback that are killed (SIGKILL:
 * no goodbye to their neighbours), restarted, cut off by a path that goes silent, or fed a broken origin. Every case
 * bounds its waits: nothing may hang. Links use a 200 ms keep-alive and a 1 s idle bound, so a dead neighbour is
 * noticed within about a second.
 */
class FaultMatrixTest {
    private static final String LINK_TIMEOUTS = "timeouts: {attempt: 1s, link_keepalive: 200ms, link_idle: 1s}";

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

    private static int freeTcp() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdp() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** edge -> transit -> far, each in its own JVM; the edge's HTTP port is {@code http}. */
    private record Line(NodeProcess edge, NodeProcess transit, NodeProcess far, int http, int edgeAdmin)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            for (NodeProcess n : List.of(edge, transit, far)) n.close();
        }
    }

    private static Line line(String name) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        String ca = d.resolve("ca").toString();
        int link = freeUdp();
        int http = freeTcp();
        int admin = freeTcp();
        NodeProcess transit = new NodeProcess("transit", d, String.join("\n",
                "node: {id: transit, listen: 127.0.0.1:" + link + ", data_dir: " + d.resolve("t") + ", fabric_ca: " + ca
                        + ", routes: [{prefix: demo, via: far}], " + LINK_TIMEOUTS + "}", "")).start();
        NodeProcess far = new NodeProcess("far", d, String.join("\n",
                "node: {id: far, data_dir: " + d.resolve("f") + ", fabric_ca: " + ca
                        + ", neighbours: [{id: transit, address: 127.0.0.1:" + link + "}], " + LINK_TIMEOUTS + "}",
                "agents: [{name: demo, origin: " + agents.uri() + ", skills: [{name: demo/echo}, {name: demo/sse, path: /sse}]}]",
                "")).start();
        NodeProcess edge = new NodeProcess("edge", d, String.join("\n",
                "node: {id: edge, data_dir: " + d.resolve("e") + ", fabric_ca: " + ca
                        + ", neighbours: [{id: transit, address: 127.0.0.1:" + link + "}],"
                        + " routes: [{prefix: demo, via: transit}], " + LINK_TIMEOUTS + "}",
                "http: {name: acip-edge, listen: 127.0.0.1:" + http + ", skills: [demo/echo, demo/sse]}",
                "admin: {listen: 127.0.0.1:" + admin + "}", "")).start();
        Line l = new Line(edge, transit, far, http, admin);
        awaitStatus(l.http, 200, 30_000);
        return l;
    }

    /** Polls a request until it gets {@code status}; returns the milliseconds it took. Fails past the bound. */
    private static long awaitStatus(int http, int status, long boundMillis) throws Exception {
        long t0 = System.nanoTime();
        Curl.Result last = null;
        while ((System.nanoTime() - t0) / 1_000_000 < boundMillis) {
            last = Curl.run("-i", "--max-time", "3", "http://127.0.0.1:" + http + "/skills/demo/echo/probe");
            if (last.status() == status) return (System.nanoTime() - t0) / 1_000_000;
            Thread.sleep(50); // polling the agent's view at a steady pace: the event is "what a new request gets"
        }
        throw new AssertionError("no " + status + " within " + boundMillis + " ms; last: " + last.out() + last.err());
    }

    /** curl streaming SSE events 100 ms apart, returned once the first arrived. */
    private static Process stream(int http) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/curl", "-sSN", "--max-time", "60",
                "http://127.0.0.1:" + http + "/skills/demo/sse/?n=1000&interval_ms=100");
        pb.environment().keySet().removeIf(k -> k.toLowerCase().endsWith("_proxy"));
        Process p = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null && !line.startsWith("data:")) {
            // until the first event
        }
        assertNotNull(line, "the stream started");
        Thread drain = new Thread(() -> {
            try {
                r.transferTo(java.io.Writer.nullWriter());
            } catch (java.io.IOException ignored) {
                // ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    private static void assertCutWithin(Process stream, long seconds) throws Exception {
        assertTrue(stream.waitFor(seconds, TimeUnit.SECONDS), "the stream ended within " + seconds + " s");
        assertNotEquals(0, stream.exitValue(), "the agent saw the stream cut, not a clean end");
    }

    private static String metrics(int admin) throws Exception {
        return Curl.run("http://127.0.0.1:" + admin + "/metrics").out();
    }

    @Test
    void aTransitKilledMidStreamCutsItThenRequestsAre503UntilItReturns() throws Exception {
        try (Line l = line("transit-killed")) {
            Process s = stream(l.http());
            l.transit().kill();
            assertCutWithin(s, 10);
            long to503 = awaitStatus(l.http(), 503, 5_000);
            assertTrue(to503 < 3_000, "503 within the 1 s idle bound and a second: " + to503 + " ms");
            Curl.Result r = Curl.run("-i", "http://127.0.0.1:" + l.http() + "/skills/demo/echo/down");
            assertTrue(r.header("proxy-status").contains("error=destination_unavailable"), r.out());
            l.transit().start();
            long back = awaitStatus(l.http(), 200, 15_000);
            assertTrue(back < 12_000, "served again within the redial backoff (10 s at most) and a second: " + back);
            String m = metrics(l.edgeAdmin());
            assertTrue(m.contains("acip_link_down_total"), m);
        }
    }

    @Test
    void aFarNodeKilledAndRestarted() throws Exception {
        try (Line l = line("far-killed")) {
            Process s = stream(l.http());
            l.far().kill();
            assertCutWithin(s, 10);
            awaitStatus(l.http(), 503, 5_000);
            l.far().start();
            awaitStatus(l.http(), 200, 15_000);
        }
    }

    @Test
    void aSilentPathIsDeclaredDownAndTrafficFailsOverToTheSecondPath() throws Exception {
        Path d = Files.createDirectories(dir.resolve("silent"));
        String ca = d.resolve("ca").toString();
        int linkA = freeUdp();
        int linkB = freeUdp();
        int http = freeTcp();
        try (UdpRelay relay = new UdpRelay(new InetSocketAddress("127.0.0.1", linkA))) {
            NodeProcess a = new NodeProcess("transit-a", d, "node: {id: transit-a, listen: 127.0.0.1:" + linkA
                    + ", data_dir: " + d.resolve("a") + ", fabric_ca: " + ca + ", routes: [{prefix: demo, via: far}], "
                    + LINK_TIMEOUTS + "}\n").start();
            NodeProcess b = new NodeProcess("transit-b", d, "node: {id: transit-b, listen: 127.0.0.1:" + linkB
                    + ", data_dir: " + d.resolve("b") + ", fabric_ca: " + ca + ", routes: [{prefix: demo, via: far}], "
                    + LINK_TIMEOUTS + "}\n").start();
            NodeProcess far = new NodeProcess("far", d, String.join("\n",
                    "node: {id: far, data_dir: " + d.resolve("f") + ", fabric_ca: " + ca + ", neighbours: [{id: transit-a,"
                            + " address: 127.0.0.1:" + linkA + "}, {id: transit-b, address: 127.0.0.1:" + linkB + "}], "
                            + LINK_TIMEOUTS + "}",
                    "agents: [{name: demo, origin: " + agents.uri() + ", skills: [{name: demo/echo}]}]", "")).start();
            NodeProcess edge = new NodeProcess("edge", d, String.join("\n",
                    "node: {id: edge, data_dir: " + d.resolve("e") + ", fabric_ca: " + ca + ", neighbours: [{id: transit-a,"
                            + " address: 127.0.0.1:" + relay.port() + "}, {id: transit-b, address: 127.0.0.1:" + linkB
                            + "}], routes: [{prefix: demo, via: transit-a, priority: 0}, {prefix: demo, via: transit-b,"
                            + " priority: 1}], " + LINK_TIMEOUTS + "}",
                    "http: {name: acip-edge, listen: 127.0.0.1:" + http + ", skills: [demo/echo]}", "")).start();
            try {
                awaitTrajectory(http, "edge,transit-a,far", 30_000);
                relay.blackhole();
                long moved = awaitTrajectory(http, "edge,transit-b,far", 10_000);
                assertTrue(moved < 4_000, "failed over within the 1 s idle bound (plus an attempt): " + moved + " ms");
            } finally {
                for (NodeProcess n : List.of(edge, far, a, b)) n.close();
            }
        }
    }

    private static long awaitTrajectory(int http, String trajectory, long boundMillis) throws Exception {
        long t0 = System.nanoTime();
        String seen = null;
        while ((System.nanoTime() - t0) / 1_000_000 < boundMillis) {
            Curl.Result r = Curl.run("-i", "--max-time", "3", "http://127.0.0.1:" + http + "/skills/demo/echo/path");
            seen = r.header("acip-trajectory");
            if (r.status() == 200 && trajectory.equals(seen)) return (System.nanoTime() - t0) / 1_000_000;
            Thread.sleep(50);
        }
        throw new AssertionError("never served over " + trajectory + " within " + boundMillis + " ms; last " + seen);
    }

    @Test
    void anOriginThatDiesMidResponseIsACutStreamNeverACleanTruncation() throws Exception {
        try (ServerSocket origin = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Fabric3 fabric = new Fabric3(dir.resolve("origin-dies"), List.of(new GatewayConfig.Agent("dying",
                     "http://127.0.0.1:" + origin.getLocalPort(), false, false, List.of(
                     new GatewayConfig.AgentSkill("test/dying", "", "", Map.of())))), false)) {
            Thread server = new Thread(() -> {
                while (!origin.isClosed()) {
                    try (Socket s = origin.accept()) {
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                                StandardCharsets.ISO_8859_1));
                        String head = in.readLine();
                        for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) {
                            // the rest of the request head
                        }
                        OutputStream out = s.getOutputStream();
                        String framing = head != null && head.contains("chunked")
                                ? "Transfer-Encoding: chunked\r\n\r\n3e8\r\n" : "Content-Length: 100000\r\n\r\n";
                        out.write(("HTTP/1.1 200 OK\r\n" + framing).getBytes(StandardCharsets.ISO_8859_1));
                        out.write(new byte[1000]);
                        out.flush();
                        // and the origin dies: the connection closes with the response unfinished
                    } catch (java.io.IOException e) {
                        // next
                    }
                }
            });
            server.setDaemon(true);
            server.start();
            for (String path : List.of("/length", "/chunked")) {
                for (String version : List.of("--http1.1", "--http2-prior-knowledge")) {
                    Curl.Result r = Curl.run(version, "-sS", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                            "-H", "Host: dying.test.acip", "http://127.0.0.1:" + fabric.http() + path);
                    assertNotEquals(0, r.exit(), path + " " + version + ": the agent must see the response cut: "
                            + r.out() + r.err());
                }
            }
        }
    }
}
