package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.ingress.ConnectRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.MetaData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CONNECT over HTTP/1.1 and HTTP/2: Direct splices, Carry hands the tunnel over, Refuse answers, bad targets 400. */
class ConnectTest extends IngressFixture {

    @BeforeEach
    void clear() {
        handler.connects.clear();
    }

    @Test
    void http11DirectSplicesToTheAddressTheHandlerChose() throws Exception {
        try (RawHttp1 agent = new RawHttp1(server.cleartextPort())) {
            String head = agent.send("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\nHost: 127.0.0.1:"
                    + echo.port() + "\r\nProxy-Authorization: Basic YWdlbnQ6cw==\r\n\r\n").readHead();
            assertEquals(200, RawHttp1.status(head), head);
            // RFC 9110 §9.3.6: no Transfer-Encoding in a 2xx to CONNECT. Jetty's HTTP/1.1 generator always adds
            // "Content-Length: 0", which clients MUST ignore there; over HTTP/2 none is sent (below).
            assertFalse(RawHttp1.header(head, "transfer-encoding").isPresent(), head);
            agent.send("ping");
            assertEquals("ping", agent.readExactly(4));
            agent.send("pong!");
            assertEquals("pong!", agent.readExactly(5));
            agent.shutdownOutput(); // the echo half-closes back: the half-close crossed the tunnel both ways
            assertEquals("", agent.readToEnd());
        }
        ConnectRequest seen = handler.connects.poll();
        assertEquals("127.0.0.1", seen.host());
        assertEquals(echo.port(), seen.port());
        assertEquals("HTTP/1.1", seen.protocol());
        assertEquals("Basic YWdlbnQ6cw==", seen.headers().first("proxy-authorization").orElseThrow());
        assertEquals(InetAddress.getLoopbackAddress(), seen.remote().getAddress());
    }

    @Test
    void http11BytesSentRightBehindTheConnectAreNotLost() throws Exception {
        try (RawHttp1 agent = new RawHttp1(server.cleartextPort())) {
            agent.send("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\nHost: x\r\n\r\neager bytes");
            assertEquals(200, RawHttp1.status(agent.readHead()));
            assertEquals("eager bytes", agent.readExactly(11));
        }
    }

    @Test
    void http2DirectSplicesOverTheStream() throws Exception {
        try (H2Peer peer = new H2Peer(server.cleartextPort())) {
            H2Peer.Exchange tunnel = peer.connect("127.0.0.1:" + echo.port());
            MetaData.Response response = tunnel.response.get(10, TimeUnit.SECONDS);
            assertEquals(200, response.getStatus());
            assertFalse(response.getHttpFields().contains("content-length"), response.getHttpFields().toString());
            tunnel.data("over h2", false).get(10, TimeUnit.SECONDS);
            assertEquals("over h2", tunnel.awaitReceived(7));
            tunnel.data(" and more", true).get(10, TimeUnit.SECONDS);
            assertEquals("over h2 and more", tunnel.ended.get(10, TimeUnit.SECONDS));
        }
        assertEquals("HTTP/2", handler.connects.poll().protocol());
    }

    @Test
    void directToAClosedPortIs502ConnectionRefused() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (RawHttp1 agent = new RawHttp1(server.cleartextPort())) {
            String head = agent.send("CONNECT 127.0.0.1:" + closed + " HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
            assertEquals(502, RawHttp1.status(head), head);
            assertEquals(PROXY_NAME + "; error=connection_refused; details=\"connection to 127.0.0.1:" + closed
                    + " refused\"", RawHttp1.header(head, "proxy-status").orElseThrow());
            assertEquals("application/problem+json", RawHttp1.header(head, "content-type").orElseThrow());
            assertEquals("close", RawHttp1.header(head, "connection").orElseThrow());
        }
    }

    @Test
    void http11CarryHandsTheTunnelToTheHandler() throws Exception {
        try (RawHttp1 agent = new RawHttp1(server.cleartextPort())) {
            String head = agent.send("CONNECT carry.demo.acip:443 HTTP/1.1\r\nHost: carry.demo.acip:443\r\n\r\n")
                    .readHead();
            assertEquals(200, RawHttp1.status(head), head);
            agent.send("carried bytes");
            assertEquals("carried bytes", agent.readExactly(13));
            agent.shutdownOutput();
            assertEquals("", agent.readToEnd()); // the handler's last downstream write half-closed toward us
        }
        assertEquals("carry.demo.acip", handler.connects.poll().host());
    }

    @Test
    void http2CarryIsFullDuplexOverTheStream() throws Exception {
        try (H2Peer peer = new H2Peer(server.cleartextPort())) {
            H2Peer.Exchange tunnel = peer.connect("carry.demo.acip:8443");
            assertEquals(200, tunnel.response.get(10, TimeUnit.SECONDS).getStatus());
            tunnel.data("one", false).get(10, TimeUnit.SECONDS);
            assertEquals("one", tunnel.awaitReceived(3)); // echoed before the agent sent anything more
            tunnel.data("two", true).get(10, TimeUnit.SECONDS);
            assertEquals("onetwo", tunnel.ended.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void refusedConnectIs403WithProxyStatus() throws Exception {
        String expected = PROXY_NAME + "; error=destination_ip_prohibited; details=\"10.0.0.1 is a private address\"";
        try (RawHttp1 agent = new RawHttp1(server.cleartextPort())) {
            String head = agent.send("CONNECT blocked.demo.acip:443 HTTP/1.1\r\nHost: blocked.demo.acip:443\r\n\r\n")
                    .readHead();
            assertEquals(403, RawHttp1.status(head), head);
            assertEquals(expected, RawHttp1.header(head, "proxy-status").orElseThrow());
            int length = Integer.parseInt(RawHttp1.header(head, "content-length").orElseThrow());
            assertTrue(agent.readExactly(length).contains("\"status\":403"));
        }
        try (H2Peer peer = new H2Peer(server.cleartextPort())) {
            H2Peer.Exchange tunnel = peer.connect("blocked.demo.acip:443");
            MetaData.Response response = tunnel.response.get(10, TimeUnit.SECONDS);
            assertEquals(403, response.getStatus());
            assertEquals(expected, response.getHttpFields().get("proxy-status"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com:0", "example.com:99999", "example.com:http",
            "user@example.com:443", "[::1:443", "exa mple.com:443"})
    void malformedTargetIs400BeforeThePolicyIsAsked(String target) throws Exception {
        try (RawHttp1 agent = new RawHttp1(server.cleartextPort())) {
            String head = agent.send("CONNECT " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
            assertEquals(400, RawHttp1.status(head), head);
        }
        assertTrue(handler.connects.isEmpty(), "the handler was asked about " + handler.connects);
    }

    @Test
    void interceptWithoutAMinterIsAConfigurationError() throws Exception {
        try (IngressServer plain = new IngressServer(IngressConfig.builder("plain")
                .cleartext(new InetSocketAddress("127.0.0.1", 0)).connectTimeout(Duration.ofSeconds(5)).build(),
                handler)) {
            plain.start();
            try (RawHttp1 agent = new RawHttp1(plain.cleartextPort())) {
                String head = agent.send("CONNECT echo.demo.acip:443 HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
                assertEquals(500, RawHttp1.status(head), head);
                assertTrue(RawHttp1.header(head, "proxy-status").orElseThrow()
                        .startsWith("plain; error=proxy_configuration_error"), head);
            }
            assertEquals(1, plain.counters().get("ingress.connect.intercept_unavailable"));
        }
    }

    @Test
    void countersSeeTunnelTraffic() throws IOException {
        try (RawHttp1 agent = new RawHttp1(server.cleartextPort())) {
            agent.send("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
            agent.send("12345");
            agent.readExactly(5);
        }
        assertTrue(server.counters().get("ingress.tunnel.direct.up.bytes") >= 5, server.counters().snapshot()
                .toString());
        assertTrue(server.counters().get("ingress.tunnel.direct.down.bytes") >= 5);
    }
}
