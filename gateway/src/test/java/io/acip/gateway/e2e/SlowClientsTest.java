package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.Gateway;
import io.acip.gateway.config.GatewayConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http.limits} from the configuration reaches the listeners: a head not whole within
 * {@code request_head_timeout} is answered 408, a client over {@code max_connections_per_ip} is closed, and both
 * show in the node's counters.
 */
@Timeout(60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the cap's test holds the connections: it goes last
class SlowClientsTest {
    private static final int CAP = 2;
    @TempDir
    static Path dir;
    static Gateway node;

    @BeforeAll
    static void start() throws Exception {
        node = Gateway.start(new GatewayConfig(new GatewayConfig.Node("slow", null, null,
                dir.resolve("ca").toString(), List.of(), List.of(), null, null),
                new GatewayConfig.Http("slow", "127.0.0.1:0", null, null, null, null, null, List.of(), List.of(),
                        List.of(), "5s", null, null, null, null,
                        new GatewayConfig.Limits("500ms", CAP, null)),
                null, List.of(), new GatewayConfig.Admin("127.0.0.1:0")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) node.close();
    }

    @Test
    @Order(1)
    void anUnfinishedHeadIsAnswered408WithinTheConfiguredTimeout() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.httpPorts()[0])) {
            s.setSoTimeout(5_000);
            long start = System.nanoTime();
            s.getOutputStream().write("GET /skills/x/ HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(took.compareTo(Duration.ofMillis(2000)) < 0, "took " + took);
        }
        assertTrue(node.metrics().snapshot().getOrDefault("ingress.request_head.timeout", 0L) >= 1,
                node.metrics().snapshot().toString());
    }

    @Test
    @Order(2)
    void aClientOverTheConfiguredCapIsClosed() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) held.add(admitted());
            try (Socket over = new Socket(InetAddress.getLoopbackAddress(), node.httpPorts()[0])) {
                over.setSoTimeout(5_000);
                assertEquals(-1, readOrReset(over));
            }
            assertTrue(node.metrics().snapshot().getOrDefault("ingress.connection.refused_per_ip", 0L) >= 1,
                    node.metrics().snapshot().toString());
        } finally {
            for (Socket s : held) s.close();
        }
    }

    /**
     * A connection that is served. Another test's connection may still be counted for a moment after it closed
     * (the gateway releases it on its own thread): a refused attempt is retried within a bound.
     */
    private static Socket admitted() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), node.httpPorts()[0]);
            s.setSoTimeout(5_000);
            try {
                s.getOutputStream().write("GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                if (status.equals("HTTP/1.1 404")) return s;
            } catch (IOException refused) {
                // closed as over the cap: retried below
            }
            s.close();
            assertTrue(System.nanoTime() < deadline, "no connection admitted");
        }
    }

    private static int readOrReset(Socket s) {
        try {
            return s.getInputStream().read();
        } catch (IOException reset) {
            return -1;
        }
    }
}
