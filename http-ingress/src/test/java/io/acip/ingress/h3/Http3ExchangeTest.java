package io.acip.ingress.h3;

import static io.acip.ingress.masque.RawH3Stream.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.ingress.masque.KwikH3Connection;
import io.acip.ingress.masque.RawH3Stream;
import io.acip.ingress.masque.RawH3Stream.Headers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.kwik.core.log.NullLogger;
import tech.kwik.flupke.Http3SingleConnectionClient;

/** Ordinary HTTP/3 requests through the listener to the handler's {@code Exchange}, from Kwik + Flupke. */
class Http3ExchangeTest extends Http3ListenerFixture {
    /** How long a "slow agent" holds a frame back: far above the listener's read of the one before on loopback. */
    private static final long LATE_FRAME_PAUSE_MILLIS = 150;

    KwikH3Connection client;

    @BeforeAll
    void connectClient() throws Exception {
        client = connect();
    }

    @AfterAll
    void closeClient() {
        client.close();
    }

    private RawH3Stream get(String path, String... extra) throws Exception {
        RawH3Stream s = client.openStream();
        List<java.util.Map.Entry<String, String>> head = lines(":method", "GET", ":scheme", "https",
                ":authority", authority(), ":path", path);
        head.addAll(lines(extra));
        s.headers(head);
        s.finish();
        return s;
    }

    @Test
    void flupkeHttpClientGetsAnEchoedHead() throws Exception {
        // Flupke's own HttpClient, over a Kwik connection that carries the ServerHello gate (Flupke's builder has
        // no socket factory). Flupke resolves "localhost" itself; the certificate names it, not 127.0.0.1.
        HttpClient flupke = new Http3SingleConnectionClient(KwikH3Connection.newQuicConnection(address(),
                H3TestPki.CA.certificate(), new NullLogger()), WAIT, null);
        HttpResponse<String> response = flupke.sendAsync(HttpRequest.newBuilder(
                URI.create("https://localhost:" + listener.port() + "/hello?x=1")).header("x-agent", "flupke").build(),
                HttpResponse.BodyHandlers.ofString()).get(WAIT.toSeconds() * 2, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertEquals("GET", response.headers().firstValue("x-echo-method").orElseThrow());
        assertEquals("/hello?x=1", response.headers().firstValue("x-echo-path").orElseThrow());
        assertEquals("localhost:" + listener.port(), response.headers().firstValue("x-echo-authority").orElseThrow());
        assertEquals("https", response.headers().firstValue("x-echo-scheme").orElseThrow());
        assertEquals("HTTP/3", response.headers().firstValue("x-echo-protocol").orElseThrow());
        assertEquals("ORIGIN", response.headers().firstValue("x-echo-form").orElseThrow());
        assertEquals("true", response.headers().firstValue("x-echo-secure").orElseThrow());
        assertEquals("3 " + PROXY_NAME, response.headers().firstValue("via").orElseThrow());
        assertTrue(response.headers().firstValue("x-echo-remote").orElseThrow().contains("127.0.0.1"));
        assertTrue(response.headers().firstValue("x-echo-local").orElseThrow().endsWith(":" + listener.port()));
    }

    @Test
    void pathIsPassedAsSentAndHeadersLowercaseInOrder() throws Exception {
        RawH3Stream s = get("/a%2Fb%3A?q=%41&r=%20", "x-b", "1", "x-a", "2", "x-b", "3");
        Headers head = s.responseHead(WAIT, null);
        assertEquals(200, head.status());
        assertEquals("/a%2Fb%3A?q=%41&r=%20", head.get("x-echo-path"));
        assertEquals(authority(), head.get("x-echo-authority"));
        assertEquals("x-b,x-a,x-b", head.get("x-echo-header-names"));
        assertTrue(s.rest(WAIT).clean());
    }

    @Test
    void postBodyIsStreamedBothWaysWithTrailers() throws Exception {
        RawH3Stream s = client.openStream();
        s.headers(lines(":method", "POST", ":scheme", "https", ":authority", authority(), ":path", "/upload",
                "content-type", "text/plain"));
        s.data("first".getBytes(StandardCharsets.US_ASCII));
        Headers head = s.responseHead(WAIT, null);
        assertEquals(200, head.status());
        // The first chunk comes back before the request ends: the body is streamed, not collected.
        RawH3Stream.Frame echoed = s.next(WAIT);
        assertEquals("first", new String(((RawH3Stream.Data) echoed).bytes(), StandardCharsets.US_ASCII));
        s.data("second".getBytes(StandardCharsets.US_ASCII));
        s.headers(lines("x-client-trailer", "yes"));
        s.finish();
        RawH3Stream.Rest rest = s.rest(WAIT);
        assertTrue(rest.clean());
        assertEquals("second", new String(rest.body(), StandardCharsets.US_ASCII));
        assertNotNull(rest.trailers());
        assertEquals("yes", rest.trailers().get("x-client-trailer"));
        assertEquals("done", rest.trailers().get("x-server-trailer"));
    }

    @Test
    void bodyReadOnDemandGoesOnPastFramesThatCarryNoContent() throws Exception {
        RawH3Stream s = client.openStream();
        s.headers(lines(":method", "POST", ":scheme", "https", ":authority", authority(), ":path", "/upload"));
        s.data("first".getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, s.responseHead(WAIT, null).status());
        assertEquals("first", nextContent(s));
        // The echo now waits for more body. Each frame below comes alone, and the read the echo asked for brings no
        // content (an empty DATA frame, then a trailer section whose FIN is sent later): the listener must read on
        // rather than leave the rest unread. The pauses stand for a slow agent; were they too short for the listener
        // to read each frame alone, the test would pass without covering the case, never fail spuriously.
        s.data(new byte[0]);
        Thread.sleep(LATE_FRAME_PAUSE_MILLIS);
        s.data("second".getBytes(StandardCharsets.US_ASCII));
        assertEquals("second", nextContent(s), "the chunk after an empty DATA frame must be read and echoed");
        s.headers(lines("x-client-trailer", "late-fin"));
        Thread.sleep(LATE_FRAME_PAUSE_MILLIS);
        s.finish();
        RawH3Stream.Rest rest = s.rest(WAIT);
        assertTrue(rest.clean(), "the response must end once the FIN that followed the trailers is read");
        assertEquals("late-fin", rest.trailers().get("x-client-trailer"));
        assertEquals("done", rest.trailers().get("x-server-trailer"));
    }

    @Test
    void reservedFrameAloneAheadOfTheHeadIsSkipped() throws Exception {
        RawH3Stream s = client.openStream();
        // RFC 9114 §7.2.8: a reserved frame type (0x21, empty) must be ignored, here on its own ahead of HEADERS.
        s.raw(new byte[] {0x21, 0x00});
        Thread.sleep(LATE_FRAME_PAUSE_MILLIS);
        s.headers(lines(":method", "GET", ":scheme", "https", ":authority", authority(), ":path", "/greased"));
        s.finish();
        Headers head = s.responseHead(WAIT, null);
        assertEquals("/greased", head.get("x-echo-path"));
        assertTrue(s.rest(WAIT).clean());
    }

    private static String nextContent(RawH3Stream s) throws InterruptedException {
        RawH3Stream.Frame f = s.next(WAIT);
        assertTrue(f instanceof RawH3Stream.Data, "expected DATA, got " + f);
        return new String(((RawH3Stream.Data) f).bytes(), StandardCharsets.US_ASCII);
    }

    @Test
    void failureBeforeTheHeadIsAProblemDocumentWithProxyStatus() throws Exception {
        RawH3Stream s = get("/fail-before");
        Headers head = s.responseHead(WAIT, null);
        assertEquals(502, head.status());
        assertEquals("application/problem+json", head.get("content-type"));
        assertTrue(head.get("proxy-status").startsWith(PROXY_NAME + "; error=connection_refused"),
                head.get("proxy-status"));
        String body = new String(s.rest(WAIT).body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("\"status\":502"), body);
        assertTrue(body.contains("https://acip.dev/problems/connection_refused"), body);
    }

    @Test
    void failureAfterTheHeadResetsTheStream() throws Exception {
        long before = counters.get(CounterNames.H3_RESPONSES_ABORTED);
        RawH3Stream s = get("/fail-after");
        // The reset may overtake the head and "partial" (RESET_STREAM discards unsent data): either way the
        // response must end in a reset, never cleanly.
        RawH3Stream.Frame f;
        do {
            f = s.next(WAIT);
        } while (f instanceof Headers || f instanceof RawH3Stream.Data);
        assertTrue(f instanceof RawH3Stream.Failed, "a response aborted after its head must be reset, got " + f);
        assertEquals(before + 1, counters.get(CounterNames.H3_RESPONSES_ABORTED));
    }

    @Test
    void handlerThatThrowsGetsA500() throws Exception {
        RawH3Stream s = get("/throw");
        Headers head = s.responseHead(WAIT, null);
        assertEquals(500, head.status());
        assertTrue(head.get("proxy-status").contains("error=proxy_internal_error"));
        s.rest(WAIT);
    }

    @Test
    void informationalResponsesGoAheadOfTheFinalOne() throws Exception {
        RawH3Stream s = get("/hints");
        List<Headers> interim = new ArrayList<>();
        Headers head = s.responseHead(WAIT, interim);
        assertEquals(204, head.status());
        assertEquals(1, interim.size());
        assertEquals(103, interim.get(0).status());
        assertEquals("</style.css>; rel=preload", interim.get(0).get("link"));
        assertTrue(s.rest(WAIT).clean());
    }

    @Test
    void plainConnectIsNotServedOverHttp3() throws Exception {
        RawH3Stream s = client.openStream();
        s.headers(lines(":method", "CONNECT", ":authority", "example.com:443"));
        Headers head = s.responseHead(WAIT, null);
        assertEquals(501, head.status());
        assertTrue(head.get("proxy-status").contains("error=http_request_error"));
        assertTrue(new String(s.rest(WAIT).body(), StandardCharsets.UTF_8).contains("HTTP/1.1 or HTTP/2"));
    }

    @Test
    void protocolPseudoHeaderOnGetIsMalformed() throws Exception {
        RawH3Stream s = get("/x", ":protocol", "connect-udp");
        // RFC 9220 §3: :protocol belongs to CONNECT; the malformed request is answered 400 before the stream ends.
        assertEquals(400, s.responseHead(WAIT, null).status());
        s.rest(WAIT);
    }

    @Test
    void missingPathIsResetWithMessageError() throws Exception {
        long before = counters.get(CounterNames.H3_REQUESTS_MALFORMED);
        RawH3Stream s = client.openStream();
        s.headers(lines(":method", "GET", ":scheme", "https", ":authority", authority()));
        s.finish();
        RawH3Stream.Frame f = s.next(WAIT);
        assertTrue(f instanceof RawH3Stream.Failed, "expected a reset (H3_MESSAGE_ERROR), got " + f);
        assertEquals(before + 1, counters.get(CounterNames.H3_REQUESTS_MALFORMED));
    }

    @Test
    void twoConnectionsInARow() throws Exception {
        for (int i = 0; i < 2; i++) {
            try (KwikH3Connection c = connect()) {
                RawH3Stream s = c.openStream();
                s.headers(lines(":method", "GET", ":scheme", "https", ":authority", authority(), ":path", "/n" + i));
                s.finish();
                Headers head = s.responseHead(WAIT, null);
                assertEquals("/n" + i, head.get("x-echo-path"));
                s.rest(WAIT);
            }
        }
    }
}
