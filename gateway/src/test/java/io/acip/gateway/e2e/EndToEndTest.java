package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified HTTP clients (curl, the JDK's HttpClient) reach the demo agents across edge, transit and far, through
 * every way an agent runtime can be pointed at the gateway.
 */
class EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Fabric3 fabric;

    @BeforeAll
    static void start() throws Exception {
        fabric = new Fabric3(dir, List.of(), false);
    }

    @AfterAll
    static void stop() throws Exception {
        fabric.close();
    }

    private static JsonNode json(String s) throws IOException {
        return JSON.readTree(s);
    }

    @Test
    void reverseProxyByPathWithCurl() throws Exception {
        Curl.Result r = Curl.run("-i", "http://127.0.0.1:" + fabric.http() + "/skills/demo/echo/hello?x=1");
        assertEquals(200, r.status(), r.out() + r.err());
        assertEquals("edge,transit,far", r.header("acip-trajectory"));
        JsonNode echo = json(r.body());
        assertEquals("/hello", echo.get("path").asText());
        assertEquals("x=1", echo.get("query").asText());
    }

    @Test
    void reverseProxyByHostWithCurl() throws Exception {
        Curl.Result r = Curl.run("-i", "-H", "Host: echo.demo.acip", "http://127.0.0.1:" + fabric.http() + "/by-host");
        assertEquals(200, r.status(), r.out() + r.err());
        assertEquals("/by-host", json(r.body()).get("path").asText());
    }

    @Test
    void forwardProxyAbsoluteFormWithCurl() throws Exception {
        Curl.Result r = Curl.run("-i", "-x", fabric.proxy(), "http://echo.demo.acip/abs");
        assertEquals(200, r.status(), r.out() + r.err());
        assertEquals("edge,transit,far", r.header("acip-trajectory"));
        JsonNode headers = json(r.body()).get("headers");
        assertTrue(headers.get("forwarded").asText().contains("host=\"echo.demo.acip\""), headers.toString());
        assertTrue(headers.get("via").asText().startsWith("1.1 acip-edge"), headers.toString());
    }

    @Test
    void httpsProxyWithInterceptionFromTheEnvironment() throws Exception {
        Curl.Result r = Curl.run(Map.of("HTTPS_PROXY", fabric.proxy()), "-i", "--cacert", fabric.caPem.toString(),
                "https://echo.demo.acip/env?via=HTTPS_PROXY");
        assertEquals(200, r.status(), r.out() + r.err());
        assertEquals("/env", json(r.body()).get("path").asText());
        assertEquals("edge,transit,far", r.header("acip-trajectory"));
    }

    @Test
    void connectWithoutInterceptionCarriesBytes() throws Exception {
        // -p: CONNECT even for http://; plain/* is not intercepted, so the tunnel is an ACIP byte-stream session and
        // the far gateway splices it to the agent's origin.
        Curl.Result r = Curl.run("-i", "-p", "-x", fabric.proxy(), "http://echo.plain.acip/tunnelled");
        assertEquals(200, r.status(), r.out() + r.err());
        assertEquals("/tunnelled", json(r.body()).get("path").asText());
        assertNull(r.header("acip-trajectory"), "bytes pass untouched: no gateway header inside a raw tunnel");
    }

    @Test
    void http2PriorKnowledgeAndAlpn() throws Exception {
        Curl.Result h2c = Curl.run("-i", "--http2-prior-knowledge", "http://127.0.0.1:" + fabric.http()
                + "/skills/demo/echo/h2c");
        assertTrue(h2c.out().startsWith("HTTP/2 200"), h2c.out() + h2c.err());
        assertTrue(json(h2c.body()).get("headers").get("via").asText().startsWith("2 acip-edge"));
        Curl.Result h2 = Curl.run("-i", "--http2", "--cacert", fabric.caPem.toString(), "https://localhost:"
                + fabric.https() + "/skills/demo/echo/alpn");
        assertTrue(h2.out().startsWith("HTTP/2 200"), h2.out() + h2.err());
    }

    /**
     * One agent's successive exchanges ride one session to the far gateway (docs/acip-v0.md §13), whatever HTTP
     * version each arrives in: the pool key is who calls and under which policy, not how.
     */
    @Test
    void successiveExchangesOverH1H2AndH3ShareAPooledSession() throws Exception {
        io.acip.node.NodeStats stats = fabric.edge.node().stats();
        long opened = stats.get("gateway.pool.opened");
        long reused = stats.get("gateway.pool.reused");
        assertEquals(200, Curl.run("-i", "http://127.0.0.1:" + fabric.http() + "/skills/demo/echo/p1").status());
        assertEquals(200, Curl.run("-i", "--http2-prior-knowledge", "http://127.0.0.1:" + fabric.http()
                + "/skills/demo/echo/p2").status());
        HttpResponse<String> h3 = flupke().sendAsync(HttpRequest.newBuilder(URI.create("https://localhost:"
                + fabric.https() + "/skills/demo/echo/p3")).build(), HttpResponse.BodyHandlers.ofString())
                .get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, h3.statusCode(), h3.body());
        assertTrue(stats.get("gateway.pool.opened") - opened <= 1, "at most one new session");
        assertTrue(stats.get("gateway.pool.reused") - reused >= 2, "the later exchanges rode it");
    }

    private static HttpClient flupke() throws Exception {
        X509Certificate ca;
        try (var in = java.nio.file.Files.newInputStream(fabric.caPem)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        return tech.kwik.flupke.Http3Client.newBuilder()
                .trustManager(io.acip.ingress.masque.KwikH3Connection.trustManager(ca))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void http3IsAdvertisedAndReachesTheSkill() throws Exception {
        Curl.Result h2 = Curl.run("-i", "--http2", "--cacert", fabric.caPem.toString(), "https://localhost:"
                + fabric.https() + "/skills/demo/echo/alt-svc");
        assertEquals("h3=\":" + fabric.https() + "\"; ma=86400", h2.header("alt-svc"), h2.out());
        HttpResponse<String> r = flupke().sendAsync(HttpRequest.newBuilder(URI.create("https://localhost:"
                        + fabric.https() + "/skills/demo/echo/h3?q=1")).POST(HttpRequest.BodyPublishers.ofString("over quic"))
                        .build(), HttpResponse.BodyHandlers.ofString())
                .get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode echo = json(r.body());
        assertEquals("/h3", echo.get("path").asText());
        assertEquals(9, echo.get("bodyLength").asInt());
        assertTrue(echo.get("headers").get("via").asText().startsWith("3 acip-edge"), echo.toString());
        assertEquals("edge,transit,far", r.headers().firstValue("acip-trajectory").orElseThrow());
    }

    @Test
    void jdkHttpClientWithProxySelector() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", fabric.http())))
                .sslContext(trusting(fabric.caPem))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> plain = client.send(HttpRequest.newBuilder(URI.create("http://echo.demo.acip/jdk"))
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, plain.statusCode(), plain.body());
        assertEquals(5, json(plain.body()).get("bodyLength").asInt());
        HttpResponse<String> tls = client.send(HttpRequest.newBuilder(URI.create("https://echo.demo.acip/jdk-tls"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, tls.statusCode(), tls.body());
        assertEquals("edge,transit,far", tls.headers().firstValue("acip-trajectory").orElseThrow());
    }

    @Test
    void unknownSkillNamesTheCause() throws Exception {
        Curl.Result r = Curl.run("-i", "-x", fabric.proxy(), "http://echo.nothing.acip/");
        assertEquals(502, r.status(), r.out());
        assertTrue(r.header("proxy-status").contains("error=destination_not_found"), r.out());
        assertEquals("application/problem+json", r.header("content-type"));
        assertEquals(502, json(r.body()).get("status").asInt());
    }

    @Test
    void directEgressIsRefusedByPolicy() throws Exception {
        Curl.Result r = Curl.run("-i", "-x", fabric.proxy(), "http://127.0.0.1:" + fabric.agents.port() + "/");
        assertEquals(403, r.status(), r.out());
        assertTrue(r.header("proxy-status").contains("error=destination_ip_prohibited"), r.out());
        Curl.Result connect = Curl.run("-i", "-p", "-x", fabric.proxy(), "http://169.254.169.254/latest/meta-data");
        assertTrue(connect.out().contains("403"), connect.out() + connect.err());
    }

    @Test
    void hopByHopFieldsDoNotCross() throws Exception {
        Curl.Result r = Curl.run("-i", "-H", "Connection: keep-alive, X-Secret-Hop", "-H", "X-Secret-Hop: 1",
                "-H", "Keep-Alive: timeout=5", "-H", "X-End-To-End: yes",
                "http://127.0.0.1:" + fabric.http() + "/skills/demo/echo/hygiene");
        JsonNode headers = json(r.body()).get("headers");
        assertNull(headers.get("x-secret-hop"), headers.toString());
        assertNull(headers.get("keep-alive"), headers.toString());
        assertEquals("yes", headers.get("x-end-to-end").asText());
        assertTrue(headers.get("forwarded").asText().startsWith("for=127.0.0.1"), headers.toString());
    }

    @Test
    void sseStreamsEventByEvent() throws Exception {
        Curl.Result r = Curl.run("-N", "-x", fabric.proxy(), "http://sse.demo.acip/?n=3&interval_ms=50");
        assertEquals(3, r.out().split("\n\n").length, r.out());
        assertTrue(r.out().startsWith("id: 0\n") || r.out().startsWith("id: 1\n"), r.out());
    }

    @Test
    void a2aMessageSendAndStream() throws Exception {
        String send = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"message\":{\"role\":\"user\","
                + "\"parts\":[{\"kind\":\"text\",\"text\":\"hi over acip\"}],\"messageId\":\"m1\",\"kind\":\"message\"}}}";
        Curl.Result r = Curl.run("-x", fabric.proxy(), "-H", "Content-Type: application/json", "--data-binary", send,
                "http://a2a.demo.acip/");
        assertTrue(r.out().contains("hi over acip"), r.out() + r.err());
        assertEquals("2.0", json(r.out()).get("jsonrpc").asText());
        Curl.Result s = Curl.run("-N", "-x", fabric.proxy(), "-H", "Content-Type: application/json",
                "-H", "Accept: text/event-stream", "--data-binary", send.replace("message/send", "message/stream"),
                "http://a2a.demo.acip/");
        assertTrue(s.out().contains("\"final\":true") && s.out().contains("hi over acip"), s.out());
    }

    @Test
    void mcpStreamableHttp() throws Exception {
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-03-26\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"e2e\",\"version\":\"1\"}}}";
        Curl.Result r = Curl.run("-i", "-x", fabric.proxy(), "-H", "Content-Type: application/json",
                "-H", "Accept: application/json, text/event-stream", "--data-binary", init, "http://mcp.demo.acip/");
        assertEquals(200, r.status(), r.out());
        String session = r.header("mcp-session-id");
        assertTrue(session != null && !session.isEmpty(), r.out());
        String call = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                + "\"arguments\":{\"text\":\"tool over acip\"}}}";
        Curl.Result c = Curl.run("-x", fabric.proxy(), "-H", "Content-Type: application/json",
                "-H", "Accept: application/json, text/event-stream", "-H", "Mcp-Session-Id: " + session,
                "--data-binary", call, "http://mcp.demo.acip/");
        assertTrue(c.out().contains("tool over acip"), c.out() + c.err());
    }

    static SSLContext trusting(Path caPem) throws Exception {
        X509Certificate ca;
        try (var in = java.nio.file.Files.newInputStream(caPem)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
