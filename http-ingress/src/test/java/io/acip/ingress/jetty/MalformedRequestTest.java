package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What Jetty refuses never reaches the handler, and is answered in the gateway's own error shape. */
class MalformedRequestTest extends IngressFixture {
    private int before;

    @BeforeEach
    void count() {
        before = handler.exchanges.get();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "bad request line, 400",
            "header without colon, 400",
            "huge header, 431",
            "huge target, 414",
            "two content-lengths, 400",
            "chunked and content-length, 400",
    })
    void refusedByJettyBeforeTheHandler(String kind, int status) throws Exception {
        String request = switch (kind) {
            case "bad request line" -> "GARBAGE\r\n\r\n";
            case "header without colon" -> "GET / HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n";
            case "huge header" -> "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n";
            case "huge target" -> "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            case "two content-lengths" -> "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n";
            case "chunked and content-length" ->
                    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n";
            default -> throw new IllegalArgumentException(kind);
        };
        try (RawHttp1 agent = new RawHttp1(server.cleartextPort())) {
            String head = agent.send(request).readHead();
            assertEquals(status, RawHttp1.status(head), head);
            assertTrue(RawHttp1.header(head, "proxy-status").orElseThrow()
                    .startsWith(PROXY_NAME + "; error=http_request_error"), head);
            assertEquals("application/problem+json", RawHttp1.header(head, "content-type").orElseThrow());
        }
        assertEquals(before, handler.exchanges.get(), "the handler saw a malformed request");
        assertTrue(server.counters().get("ingress.rejected." + status) >= 1);
    }

    @Test
    void ambiguousUrisAre400InTheGatewaysShapeOnBothVersions() throws Exception {
        try (RawHttp1 agent = new RawHttp1(server.cleartextPort())) {
            String head = agent.send("GET /a//b HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
            assertEquals(400, RawHttp1.status(head), head);
            assertEquals(PROXY_NAME + "; error=http_request_error; details=\"Ambiguous URI empty segment\"",
                    RawHttp1.header(head, "proxy-status").orElseThrow());
        }
        try (H2Peer peer = new H2Peer(server.cleartextPort())) {
            H2Peer.Exchange exchange = peer.open(new MetaData.Request("GET",
                    HttpURI.from("http://x/a/%25zz/b"), HttpVersion.HTTP_2, HttpFields.EMPTY), true);
            MetaData.Response response = exchange.response.get(10, TimeUnit.SECONDS);
            assertEquals(400, response.getStatus());
            assertTrue(response.getHttpFields().get("proxy-status").startsWith(PROXY_NAME
                    + "; error=http_request_error; details=\"Ambiguous URI"), response.getHttpFields().toString());
            assertEquals("application/problem+json", response.getHttpFields().get("content-type"));
        }
        assertEquals(before, handler.exchanges.get(), "the handler saw an ambiguous request");
    }
}
