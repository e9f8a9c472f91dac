package io.acip.gateway.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
            assertTrue(demo.instructions().contains("/.well-known/masque/udp/udp-echo.demo.acip/7/"));
            assertTrue(demo.udpEcho().getPort() > 0);
        }
    }
}
