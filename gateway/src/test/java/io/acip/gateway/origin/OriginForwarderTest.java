package io.acip.gateway.origin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.HttpFailure;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Round trips, header rules and failures before the response head, with WireMock as the origin. */
class OriginForwarderTest {
    private static OriginForwarder forwarder;
    private WireMockServer origin;

    @BeforeAll
    static void startForwarder() throws Exception {
        forwarder = OriginForwarder.start(OriginForwarder.Settings.defaults("gw"));
    }

    @AfterAll
    static void stopForwarder() throws Exception {
        forwarder.close();
    }

    @BeforeEach
    void startOrigin() {
        origin = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        origin.start();
    }

    @AfterEach
    void stopOrigin() {
        origin.stop();
    }

    private OriginConfig config() {
        return OriginConfig.of(URI.create("http://127.0.0.1:" + origin.port()));
    }

    private static RecordingSink forward(OriginConfig config, TestExchange exchange) throws Exception {
        forwarder.forward(exchange, config).handle((v, e) -> null).get(10, TimeUnit.SECONDS);
        return (RecordingSink) exchange.response();
    }

    private static LoggedRequest only(WireMockServer server) {
        List<LoggedRequest> all = server.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                anyUrl()));
        assertEquals(1, all.size(), "requests at the origin");
        return all.get(0);
    }

    @Test
    void getRoundTripCarriesHeadersBothWays() throws Exception {
        origin.stubFor(get(urlEqualTo("/api/items?id=7&q=a%20b")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain").withHeader("X-Result", "ok").withBody("hello")));
        RecordingSink sink = forward(config(), TestExchange.of("GET", "/api/items?id=7&q=a%20b",
                Fields.of("accept", "text/plain", "x-trace", "t-1"), MemoryBody.empty(), new RecordingSink()));

        ResponseHead head = sink.head.get();
        assertEquals(200, head.status());
        assertEquals("ok", head.fields().first("x-result").orElseThrow());
        assertEquals("1.1 gw", head.fields().first("via").orElseThrow());
        assertEquals("hello", sink.text());
        LoggedRequest seen = only(origin);
        assertEquals("t-1", seen.getHeader("x-trace"));
        assertEquals("1.1 gw", seen.getHeader("via"));
        assertEquals("127.0.0.1:" + origin.port(), seen.getHeader("host"));
        assertFalse(seen.containsHeader("transfer-encoding"), "a GET without content stays without content");
        sink.assertClean();
    }

    /** Under a skill's path prefix, the forwarded path loses its dot segments, and one that would climb out is 400. */
    @Test
    void thePathStaysUnderTheOriginsPrefix() throws Exception {
        origin.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        OriginConfig scoped = OriginConfig.of(URI.create("http://127.0.0.1:" + origin.port() + "/scoped"));
        RecordingSink ok = forward(scoped, TestExchange.of("GET", "/x/../y?q=/../", Fields.EMPTY, MemoryBody.empty(),
                new RecordingSink()));
        assertEquals(200, ok.head.get().status());
        assertEquals("/scoped/y?q=/../", only(origin).getUrl());
        for (String path : List.of("/../outside", "/%2e%2e/outside", "/a/..%2F..%2Foutside", "/..;/outside")) {
            RecordingSink refused = forward(scoped, TestExchange.of("GET", path, Fields.EMPTY, MemoryBody.empty(),
                    new RecordingSink()));
            HttpFailure f = refused.failure.get(5, TimeUnit.SECONDS);
            assertEquals(400, f.status(), path);
            assertEquals(ProxyErrorType.HTTP_REQUEST_ERROR, f.error());
        }
        only(origin);
    }

    /** Header sections over the limits: the request is 431 before it goes, the origin's response 502. */
    @Test
    void headerSectionsOverTheLimitsHaveTheirStatus() throws Exception {
        origin.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        RecordingSink fits = forward(config(), TestExchange.of("GET", "/small", Fields.of("x-req", "a".repeat(15 * 1024)),
                MemoryBody.empty(), new RecordingSink()));
        assertEquals(200, fits.head.get(10, TimeUnit.SECONDS).status());
        // All the edge took (16 KiB) plus the fields the edge added on the way: still forwarded.
        RecordingSink edgeFull = forward(config(), TestExchange.of("GET", "/small", Fields.of("x-req",
                "a".repeat(16 * 1024 - 100), "forwarded", "for=" + "f".repeat(300)), MemoryBody.empty(),
                new RecordingSink()));
        assertEquals(200, edgeFull.head.get(10, TimeUnit.SECONDS).status());
        RecordingSink request = forward(config(), TestExchange.of("GET", "/large", Fields.of("x-req",
                "a".repeat(21 * 1024)), MemoryBody.empty(), new RecordingSink()));
        HttpFailure r = request.failure.get(10, TimeUnit.SECONDS);
        assertEquals(431, r.status(), r.detail());
        assertEquals(2, origin.getAllServeEvents().size(), "the request over the limit never left");
        for (int kib : new int[] {30, 40}) {
            try (ServerSocket raw = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
                Thread t = new Thread(() -> {
                    try (Socket s = raw.accept()) {
                        s.getInputStream().read(new byte[8192]);
                        s.getOutputStream().write(("HTTP/1.1 200 OK\r\nx-big: " + "b".repeat(kib * 1024)
                                + "\r\ncontent-length: 0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        s.getInputStream().read();
                    } catch (java.io.IOException ignored) {
                        // the forwarder went away
                    }
                });
                t.start();
                RecordingSink sink = forward(OriginConfig.of(URI.create("http://127.0.0.1:" + raw.getLocalPort())),
                        TestExchange.of("GET", "/", Fields.EMPTY, MemoryBody.empty(), new RecordingSink()));
                if (kib == 30) {
                    assertEquals(30 * 1024, sink.head.get(10, TimeUnit.SECONDS).fields().first("x-big").orElseThrow()
                            .length());
                } else {
                    HttpFailure f = sink.failure.get(10, TimeUnit.SECONDS);
                    assertEquals(502, f.status(), f.detail());
                    assertEquals(ProxyErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE, f.error(), f.detail());
                }
            }
        }
    }

    @Test
    void postRoundTripCarriesContent() throws Exception {
        origin.stubFor(post(urlEqualTo("/api/echo")).willReturn(aResponse().withStatus(201).withBody("made")));
        RecordingSink sink = forward(config(), TestExchange.of("POST", "/api/echo",
                Fields.of("content-type", "application/json", "content-length", "17"),
                MemoryBody.of("{\"a\":1,", "\"b\":\"xyz\"}"), new RecordingSink()));

        assertEquals(201, sink.head.get().status());
        assertEquals("made", sink.text());
        LoggedRequest seen = only(origin);
        assertEquals("{\"a\":1,\"b\":\"xyz\"}", seen.getBodyAsString());
        assertEquals("application/json", seen.getHeader("content-type"));
        assertEquals("17", seen.getHeader("content-length"));
    }

    @Test
    void hopByHopFieldsStayOnTheAgentsHop() throws Exception {
        origin.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("x")));
        Fields headers = Fields.of(
                "connection", "keep-alive, X-Private",
                "x-private", "secret",
                "keep-alive", "timeout=5",
                "proxy-connection", "keep-alive",
                "te", "trailers, deflate",
                "upgrade", "websocket",
                "proxy-authorization", "Basic Zm9vOmJhcg==",
                "via", "1.0 upstream",
                "x-kept", "yes");
        forward(config(), TestExchange.of("GET", "/h", headers, MemoryBody.empty(), new RecordingSink()));

        LoggedRequest seen = only(origin);
        for (String gone : List.of("x-private", "keep-alive", "proxy-connection", "upgrade", "proxy-authorization")) {
            assertFalse(seen.containsHeader(gone), gone + " reached the origin");
        }
        assertEquals("trailers", seen.getHeader("te"), "TE keeps only trailers (RFC 9110 §7.6.1)");
        assertEquals(List.of("1.0 upstream", "1.1 gw"), seen.getHeaders().getHeader("via").values());
        assertEquals("yes", seen.getHeader("x-kept"));
    }

    @Test
    void hopByHopFieldsFromTheOriginStayOnItsHop() throws Exception {
        origin.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("Connection", "X-Internal")
                .withHeader("X-Internal", "node-4")
                .withHeader("Keep-Alive", "timeout=5")
                .withHeader("Proxy-Authenticate", "Basic realm=\"origin\"")
                .withHeader("X-Public", "yes")
                .withBody("x")));
        RecordingSink sink = forward(config(), TestExchange.of("GET", "/h", Fields.EMPTY, MemoryBody.empty(),
                new RecordingSink()));

        Fields fields = sink.head.get().fields();
        for (String gone : List.of("connection", "x-internal", "keep-alive", "proxy-authenticate",
                "transfer-encoding")) {
            assertTrue(fields.first(gone).isEmpty(), gone + " reached the agent");
        }
        assertEquals("yes", fields.first("x-public").orElseThrow());
        assertEquals("1.1 gw", fields.first("via").orElseThrow());
    }

    @Test
    void viaNamesTheAgentsProtocolVersion() throws Exception {
        origin.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));
        RecordingSink sink = new RecordingSink();
        TestExchange exchange = new TestExchange(TestExchange.request("GET", "/v", "HTTP/2", Fields.EMPTY),
                MemoryBody.empty(), sink);
        forward(config(), exchange);

        assertEquals(204, sink.head.get().status());
        LoggedRequest seen = only(origin);
        assertEquals("2 gw", seen.getHeader("via"));
        assertFalse(seen.containsHeader("transfer-encoding"), "an HTTP/2 request that ended has no content");
    }

    @Test
    void forwardedIsAddedOnlyWhenAsked() throws Exception {
        origin.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        RecordingSink sink = new RecordingSink();
        forwarder.forward(TestExchange.of("GET", "/f", Fields.EMPTY, MemoryBody.empty(), sink), config(), "/f", true)
                .get(10, TimeUnit.SECONDS);
        forward(config(), TestExchange.of("GET", "/g", Fields.EMPTY, MemoryBody.empty(), new RecordingSink()));

        List<LoggedRequest> seen = origin.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                anyUrl()));
        LoggedRequest f = seen.stream().filter(r -> r.getUrl().equals("/f")).findFirst().orElseThrow();
        LoggedRequest g = seen.stream().filter(r -> r.getUrl().equals("/g")).findFirst().orElseThrow();
        assertEquals("for=192.0.2.7;host=\"agent.example:8080\";proto=http", f.getHeader("forwarded"));
        assertNull(g.getHeader("forwarded"));
    }

    @Test
    void rewrittenPathGoesUnderTheBasePath() throws Exception {
        origin.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        OriginConfig config = OriginConfig.of(URI.create("http://127.0.0.1:" + origin.port() + "/agents/echo/"));
        forwarder.forward(TestExchange.of("GET", "/skills/demo/echo/x?y=%2F1", Fields.EMPTY, MemoryBody.empty(),
                new RecordingSink()), config, "/x?y=%2F1", false).get(10, TimeUnit.SECONDS);

        assertEquals("/agents/echo/x?y=%2F1", only(origin).getUrl());
    }

    @Test
    void slowOriginAnswers504ResponseTimeout() throws Exception {
        origin.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(5_000)));
        OriginConfig config = config().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300),
                Duration.ofSeconds(5));
        RecordingSink sink = forward(config, TestExchange.of("GET", "/slow", Fields.EMPTY, MemoryBody.empty(),
                new RecordingSink()));

        assertFailure(sink, 504, ProxyErrorType.HTTP_RESPONSE_TIMEOUT);
    }

    @Test
    void originDownAnswers502ConnectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RecordingSink sink = forward(OriginConfig.of(URI.create("http://127.0.0.1:" + port)),
                TestExchange.of("GET", "/", Fields.EMPTY, MemoryBody.empty(), new RecordingSink()));

        assertFailure(sink, 502, ProxyErrorType.CONNECTION_REFUSED);
    }

    @Test
    void unresolvableOriginAnswers502DnsError() throws Exception {
        // RFC 6761 §6.4: names under .invalid never resolve.
        RecordingSink sink = forward(OriginConfig.of(URI.create("http://origin.acip-test.invalid:8080")),
                TestExchange.of("GET", "/", Fields.EMPTY, MemoryBody.empty(), new RecordingSink()));

        assertFailure(sink, 502, ProxyErrorType.DNS_ERROR);
    }

    @Test
    void unansweredConnectAnswers504ConnectionTimeout() throws Exception {
        // A listener that never accepts: once its backlog is full the kernel drops further SYNs, so connects hang.
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket filler = new Socket();
                    try {
                        filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort()), 200);
                        fillers.add(filler);
                    } catch (java.io.IOException full) {
                        filler.close();
                        break;
                    }
                }
                OriginConfig config = OriginConfig.of(URI.create("http://127.0.0.1:" + s.getLocalPort()))
                        .withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofSeconds(5));
                RecordingSink sink = forward(config, TestExchange.of("GET", "/", Fields.EMPTY, MemoryBody.empty(),
                        new RecordingSink()));

                assertFailure(sink, 504, ProxyErrorType.CONNECTION_TIMEOUT);
            } finally {
                for (Socket f : fillers) f.close();
            }
        }
    }

    @Test
    void originClosingBeforeTheHeadAnswers502ConnectionTerminated() throws Exception {
        origin.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        RecordingSink sink = forward(config(), TestExchange.of("GET", "/", Fields.EMPTY, MemoryBody.empty(),
                new RecordingSink()));

        assertFailure(sink, 502, ProxyErrorType.CONNECTION_TERMINATED);
    }

    @Test
    void originSendingGarbageAnswers502() throws Exception {
        origin.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
        RecordingSink sink = forward(config(), TestExchange.of("GET", "/", Fields.EMPTY, MemoryBody.empty(),
                new RecordingSink()));

        HttpFailure f = sink.failure.get(5, TimeUnit.SECONDS);
        assertEquals(502, f.status());
        assertFalse(sink.failAfterCommit);
    }

    static void assertFailure(RecordingSink sink, int status, ProxyErrorType type) throws Exception {
        HttpFailure f = sink.failure.get(5, TimeUnit.SECONDS);
        assertEquals(type, f.error(), f.toString());
        assertEquals(status, f.status());
        assertFalse(sink.failAfterCommit, "failed before the head, so the failure is the answer");
        sink.assertClean();
    }
}
