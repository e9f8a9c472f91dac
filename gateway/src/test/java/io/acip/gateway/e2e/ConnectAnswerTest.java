package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.config.GatewayConfig;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CONNECT to a skill is answered once its session is set up (RFC 9110 §9.3.6): 200 for a tunnel that exists,
 * otherwise the status RFC 9209 names for why not, never a 200 followed by a closed tunnel. Byte tunnels go only to
 * skills that declare {@code tunnel: tcp}; a CONNECT to any other skill is intercepted (this edge may intercept).
 */
class ConnectAnswerTest {
    @TempDir
    static Path dir;
    static Fabric3 fabric;
    /** A TCP server that speaks first (an SMTP-like banner), behind a skill that takes byte tunnels. */
    static ServerSocket banner;
    static RawOrigin origin;

    @BeforeAll
    static void start() throws Exception {
        banner = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!banner.isClosed()) {
                try (Socket s = banner.accept()) {
                    s.getOutputStream().write("220 banner ready\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read();
                } catch (java.io.IOException e) {
                    // next connection
                }
            }
        }, "banner");
        t.setDaemon(true);
        t.start();
        origin = new RawOrigin();
        fabric = new Fabric3(dir, List.of(
                new GatewayConfig.Agent("banner", "http://127.0.0.1:" + banner.getLocalPort(), false, false,
                        List.of(Fabric3.tunnel("test/banner"))),
                new GatewayConfig.Agent("plain-http", origin.uri(), false, false,
                        List.of(new GatewayConfig.AgentSkill("test/notunnel", "", "", Map.of()))),
                // Takes byte tunnels, but from nobody the edge can vouch for: its gateway answers policy_denied.
                new GatewayConfig.Agent("guarded", "http://127.0.0.1:" + banner.getLocalPort(), false, false,
                        List.of(new GatewayConfig.AgentSkill("test/guarded", "", "", Map.of(), null,
                                List.of("group:nobody"), "tcp")))), false);
    }

    @AfterAll
    static void stop() throws Exception {
        fabric.close();
        banner.close();
        origin.close();
    }

    @Test
    void aSkillWithoutRouteIs502BeforeAnyTunnel() throws Exception {
        String head = fabric.connectHead("x.unknown.acip:443");
        assertTrue(head.startsWith("HTTP/1.1 502 "), head);
        assertTrue(head.contains("error=destination_not_found"), head);
    }

    @Test
    void aCarriedTunnelStillWorks() throws Exception {
        Curl.Result r = Curl.run("-i", "-p", "-x", fabric.proxy(), "http://echo.plain.acip/tunnelled");
        assertEquals(200, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("HTTP/1.1 200"), r.out());
    }

    @Test
    void whatTheSkillSaysFirstReachesTheAgent() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), fabric.http())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("CONNECT banner.test.acip:25 HTTP/1.1\r\nHost: banner.test.acip:25\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StringBuilder got = new StringBuilder();
            int b;
            while (got.indexOf("ready\r\n") < 0 && (b = in.read()) >= 0) got.append((char) b);
            assertTrue(got.toString().startsWith("HTTP/1.1 200 "), got.toString());
            assertTrue(got.toString().endsWith("\r\n\r\n220 banner ready\r\n"), got.toString());
        }
    }

    /** Only the far side's "no byte tunnels" leads to interception: any other policy_denied is 403. */
    @Test
    void aFarPolicyRefusalIs403NotAnInterception() throws Exception {
        String head = fabric.connectHead("guarded.test.acip:443");
        assertTrue(head.startsWith("HTTP/1.1 403 ") && head.contains("error=http_request_denied"), head);
        // Who is allowed stays untold.
        assertTrue(head.contains("does not allow") && !head.contains("group:nobody"), head);
    }

    @Test
    void aSkillWithoutByteTunnelsIsIntercepted() throws Exception {
        // The edge answers 200 and terminates the agent's TLS with a leaf it mints: the request inside becomes an
        // exchange, never bytes to the agent's port.
        Curl.Result r = Curl.run("-i", "--cacert", fabric.caPem.toString(), "-p", "-x", fabric.proxy(),
                "https://notunnel.test.acip/inside");
        assertEquals(200, r.status(), r.out() + r.err());
        assertEquals("ok", r.body());
        assertTrue(origin.nextHead().startsWith("GET /inside HTTP/1.1\r\n"));
    }
}
