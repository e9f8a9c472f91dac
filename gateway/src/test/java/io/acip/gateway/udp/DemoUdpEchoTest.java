package io.acip.gateway.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.Demo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo fabric's {@code demo/udp-echo}: CONNECT-UDP to {@code udp-echo.demo.acip:7} crosses three nodes. */
class DemoUdpEchoTest {
    @TempDir
    Path dir;

    @Test
    void theDemoEchoesDatagramsThroughTheFabric() throws Exception {
        try (Demo demo = Demo.start(dir, 0, 0, 0)) {
            TestUdpFlow flow = new TestUdpFlow("udp-echo.demo.acip", 7);
            demo.edge().handler().onConnectUdp(flow);
            assertTrue(flow.awaitAccepted());
            for (int i = 0; i < 20; i++) {
                byte[] p = ("echo " + i).getBytes(StandardCharsets.US_ASCII);
                flow.agentSends(p);
                assertArrayEquals(p, flow.receive(Duration.ofSeconds(10)));
            }
            flow.agentCloses();
            assertTrue(demo.udpEcho().getPort() > 0);
        }
    }

    /** The README's MASQUE example, as printed by the demo, run as is: python3-h2 over TLS to the edge. */
    @Test
    void theReadmesMasqueClientReachesTheEchoAgent() throws Exception {
        try (Demo demo = Demo.start(dir, 0, 0, 0)) {
            int tls = demo.edge().httpPorts()[1];
            String ca = dir.resolve(Demo.CA_DIR).resolve("ca.pem").toString();
            assertTrue(demo.instructions().contains("/usr/bin/python3 examples/agents/masque_udp_h2.py 127.0.0.1:" + tls
                    + " udp-echo.demo.acip 7 " + ca), demo.instructions());
            Process p = new ProcessBuilder("/usr/bin/python3", "../examples/agents/masque_udp_h2.py",
                    "127.0.0.1:" + tls, "udp-echo.demo.acip", "7", ca).redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the client finished");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("echo: hello over MASQUE"), out);
        }
    }
}
