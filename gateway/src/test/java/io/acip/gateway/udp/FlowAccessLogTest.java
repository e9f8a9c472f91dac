package io.acip.gateway.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.logs.AccessLog;
import java.time.Duration;
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

/** The edge's access line for a CONNECT-UDP flow, and the open-flows gauge, across edge, transit and far. */
class FlowAccessLogTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    static java.nio.file.Path dir;
    static FakeDnsServer dns;
    static UdpFabric fabric;

    @BeforeAll
    static void start() throws Exception {
        dns = new FakeDnsServer();
        fabric = new UdpFabric(dir, dns);
    }

    @AfterAll
    static void stop() throws Exception {
        fabric.close();
        dns.close();
    }

    @Test
    void aFlowEndsWithOneLineNamingItsTargetStatusAndBytes() throws Exception {
        BlockingQueue<LogRecord> lines = new LinkedBlockingQueue<>();
        Handler collect = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level was = AccessLog.LOG.getLevel();
        AccessLog.LOG.setLevel(Level.INFO); // the test runs' logging settings keep INFO out
        AccessLog.LOG.addHandler(collect);
        try {
            TestUdpFlow flow = new TestUdpFlow("udp-echo.test.acip", 443);
            fabric.handler().onConnectUdp(flow);
            assertTrue(flow.awaitAccepted());
            assertTrue(fabric.edge.metrics().prometheus().contains("gateway_udp_flows 1.0"), "one flow open");
            byte[] hello = "seventeen bytes!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            flow.agentSends(hello);
            assertArrayEquals(hello, flow.receive(WAIT));
            flow.agentCloses();
            LogRecord r = lines.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(r != null, "an access line for the flow");
            assertTrue(r.getMessage().matches("flow anonymous CONNECT-UDP udp-echo\\.test\\.acip:443 HTTP/\\S+ 200 "
                    + "[0-9.]+ms in=17 out=17"), r.getMessage());
            assertTrue(fabric.edge.metrics().prometheus().contains("gateway_udp_flows 0.0"), "none open");
            assertEquals(0, lines.size());
        } finally {
            AccessLog.LOG.removeHandler(collect);
            AccessLog.LOG.setLevel(was);
        }
    }
}
