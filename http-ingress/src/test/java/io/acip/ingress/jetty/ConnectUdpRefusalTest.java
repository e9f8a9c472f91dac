package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.bhttp.Fields;
import io.acip.ingress.masque.Http2MasqueClient;
import io.acip.ingress.masque.MasqueClient.Flow;
import io.acip.ingress.masque.PipeliningMasqueClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CONNECT-UDP requests the gateway refuses, each with the status RFC 9298 names, {@code Proxy-Status} and a problem
 * document, over HTTP/1.1 and HTTP/2, cleartext and TLS. None of the malformed ones reaches the handler.
 */
@SuppressWarnings("try") // MasqueClient.close() throws Exception, as the fixed interface declares
class ConnectUdpRefusalTest extends UdpFixture {

    static List<Arguments> malformedTargets() {
        List<Arguments> rows = new ArrayList<>();
        String[][] targets = {
                {"empty host", path("", 443)},
                {"empty port", path("example.com", "")},
                {"port 0", path("example.com", 0)},
                {"port 65536", path("example.com", 65536)},
                {"port not a number", path("example.com", "http")},
                {"IPv6 zone ID", path("fe80%3A%3A1%25eth0", 443)},
                {"IPv6 in brackets", path("%5B2001%3Adb8%3A%3A1%5D", 443)},
                {"other path", "/masque/udp/example.com/443/"},
        };
        for (Transport t : Transport.values()) {
            for (String[] target : targets) rows.add(Arguments.of(t, target[0], target[1]));
        }
        return rows;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("malformedTargets")
    void malformedTargetsAre400(Transport transport, String what, String pathAndQuery) throws Exception {
        long refused = counter(UdpCounters.FLOWS_REFUSED);
        try (PipeliningMasqueClient client = transport.client(server);
             Flow flow = client.open(authority(), pathAndQuery, TIMEOUT)) {
            assertRefused(flow, 400, "http_request_error");
            String expected = switch (what) {
                case "other path" -> "does not match this gateway's CONNECT-UDP URI template";
                case "empty host" -> "target_host is empty";
                case "IPv6 zone ID" -> "zone identifier";
                default -> "target_";
            };
            assertTrue(header(flow, "proxy-status").contains(expected), header(flow, "proxy-status"));
        }
        assertTrue(handler.flows.isEmpty(), "the handler saw a malformed request");
        assertEquals(refused + 1, counter(UdpCounters.FLOWS_REFUSED));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void capsuleProtocolMustSayTrue(Transport transport) throws Exception {
        try (PipeliningMasqueClient client = transport.client(server)) {
            try (Flow flow = client.open(authority(), path("192.0.2.7", 53), Fields.EMPTY, false, TIMEOUT)) {
                assertRefused(flow, 400, "http_request_error");
                assertTrue(header(flow, "proxy-status").contains("Capsule-Protocol"), header(flow, "proxy-status"));
            }
            try (Flow flow = client.open(authority(), path("192.0.2.7", 53), Fields.of("capsule-protocol", "?0"),
                    false, TIMEOUT)) {
                assertRefused(flow, 400, "http_request_error");
            }
        }
        assertTrue(handler.flows.isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theHandlersRefusalIsAnswered(Transport transport) throws Exception {
        long refused = counter(UdpCounters.FLOWS_REFUSED);
        try (PipeliningMasqueClient client = transport.client(server);
             Flow flow = client.open(authority(), path("blocked.example", 443), TIMEOUT)) {
            assertRefused(flow, 403, "destination_ip_prohibited");
            assertEquals(PROXY_NAME + "; error=destination_ip_prohibited; details=\"192.0.2.1 is not an allowed"
                    + " destination\"", header(flow, "proxy-status"));
            assertTrue(new String(flow.body(), StandardCharsets.UTF_8).contains("\"status\":403"));
        }
        assertEquals("blocked.example", handler.next().flow.request().host());
        assertEquals(refused + 1, counter(UdpCounters.FLOWS_REFUSED));
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"H2C", "H2_TLS"})
    void extendedConnectForAnotherProtocolIs501(Transport transport) throws Exception {
        try (Http2MasqueClient client = (Http2MasqueClient) transport.client(server);
             Flow flow = client.openProtocol("connect-tcp-test", authority(), "/tcp/example.com/443/", TIMEOUT)) {
            assertRefused(flow, 501, "http_request_error");
            assertTrue(header(flow, "proxy-status").contains("connect-tcp-test"), header(flow, "proxy-status"));
        }
        assertTrue(handler.flows.isEmpty());
    }

    @Test
    void http11UpgradeWithAnotherMethodIs405() throws Exception {
        try (RawHttp1 agent = new RawHttp1(server.cleartextPort())) {
            String head = agent.send("POST " + path("192.0.2.7", 53) + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: Upgrade\r\nUpgrade: connect-udp\r\nCapsule-Protocol: ?1\r\nContent-Length: 0\r\n\r\n")
                    .readHead();
            assertEquals(405, RawHttp1.status(head), head);
            assertEquals("GET", RawHttp1.header(head, "allow").orElseThrow());
            assertTrue(RawHttp1.header(head, "proxy-status").orElseThrow()
                    .startsWith(PROXY_NAME + "; error=http_request_error"), head);
            assertEquals("application/problem+json", RawHttp1.header(head, "content-type").orElseThrow());
        }
        assertTrue(handler.flows.isEmpty());
    }

    @Test
    void ordinaryRequestsAndOtherUpgradesStillReachTheHandlerAsExchanges() throws Exception {
        try (RawHttp1 agent = new RawHttp1(server.cleartextPort())) {
            String head = agent.send("GET /echo HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\n\r\n").readHead();
            assertEquals(200, RawHttp1.status(head), head);
            assertEquals("/echo", RawHttp1.header(head, "x-echo-path").orElseThrow());
        }
        assertTrue(handler.flows.isEmpty());
    }

    private static void assertRefused(Flow flow, int status, String error) {
        assertEquals(status, flow.status());
        String proxyStatus = header(flow, "proxy-status");
        assertTrue(proxyStatus != null && proxyStatus.startsWith(PROXY_NAME + "; error=" + error + "; details="),
                String.valueOf(proxyStatus));
        assertEquals("application/problem+json", header(flow, "content-type"));
        assertNull(header(flow, "capsule-protocol"));
        String body = new String(flow.body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("https://acip.dev/problems/" + error), body + " " + flow.headers());
    }
}
