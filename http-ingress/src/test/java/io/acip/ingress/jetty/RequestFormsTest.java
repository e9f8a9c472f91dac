package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each way an agent can address the gateway ends up as one exchange with the right form, scheme and authority. */
class RequestFormsTest extends IngressFixture {

    @Test
    void curlHttp11OriginForm() throws Exception {
        Curl.Result r = Curl.run("--http1.1", "-H", "X-Trace: abc", "--data-binary", "hello",
                cleartextUrl("/echo/a?b=c"));
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(200, r.status());
        assertEquals("hello", r.body());
        assertEquals("POST", r.header("x-echo-method").orElseThrow());
        assertEquals("/echo/a?b=c", r.header("x-echo-path").orElseThrow());
        assertEquals("ORIGIN", r.header("x-echo-form").orElseThrow());
        assertEquals("http", r.header("x-echo-scheme").orElseThrow());
        assertEquals("127.0.0.1:" + server.cleartextPort(), r.header("x-echo-authority").orElseThrow());
        assertEquals("HTTP/1.1", r.header("x-echo-protocol").orElseThrow());
        // lowercase names, in the order curl sent them
        assertEquals("host,user-agent,accept,x-trace,content-length,content-type",
                r.header("x-echo-header-names").orElseThrow());
        assertEquals("1.1 " + PROXY_NAME, r.header("via").orElseThrow());
    }

    @Test
    void curlForwardProxyAbsoluteForm() throws Exception {
        Curl.Result r = Curl.run("--http1.1", "-x", proxy(), "http://skill.demo.acip:8080/echo?q=1");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(200, r.status());
        assertEquals("ABSOLUTE", r.header("x-echo-form").orElseThrow());
        assertEquals("http", r.header("x-echo-scheme").orElseThrow());
        assertEquals("skill.demo.acip:8080", r.header("x-echo-authority").orElseThrow());
        assertEquals("/echo?q=1", r.header("x-echo-path").orElseThrow());
    }

    @Test
    void curlH2cPriorKnowledge() throws Exception {
        Curl.Result r = Curl.run("--http2-prior-knowledge", "--data-binary", "over h2c", cleartextUrl("/echo"));
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.statusLine().startsWith("HTTP/2 200"), r.head());
        assertEquals("HTTP/2", r.header("x-echo-protocol").orElseThrow());
        assertEquals("ORIGIN", r.header("x-echo-form").orElseThrow());
        assertEquals("over h2c", r.body());
        assertEquals("2 " + PROXY_NAME, r.header("via").orElseThrow());
    }

    @Test
    void curlH2cUpgrade() throws Exception {
        Curl.Result r = Curl.run("--http2", cleartextUrl("/echo/upgraded"));
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.head().contains("101"), r.head());
        assertTrue(r.statusLine().startsWith("HTTP/2 200"), r.head());
        assertEquals("HTTP/2", r.header("x-echo-protocol").orElseThrow());
        assertEquals("/echo/upgraded", r.header("x-echo-path").orElseThrow());
    }

    /**
     * Jetty 12.1 serves an upgraded connection's first exchange inside its onOpen; a client closing at once used to
     * leave the HTTP/2 session in the factory's container. The fixture's graceful stop fails if one is left.
     */
    @Test
    void manyQuickH2cUpgradesLeaveNoSessionBehind() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals(0, Curl.run("--http2", cleartextUrl("/echo/" + i)).exit());
        }
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void jdkClientOverTls(HttpClient.Version version) throws Exception {
        HttpResponse<String> r = jdkClient(version).send(HttpRequest.newBuilder(URI.create(tlsUrl("/echo/tls")))
                .POST(HttpRequest.BodyPublishers.ofString("secret")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(version, r.version());
        assertEquals("secret", r.body());
        assertEquals(version == HttpClient.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1",
                r.headers().firstValue("x-echo-protocol").orElseThrow());
        assertEquals("https", r.headers().firstValue("x-echo-scheme").orElseThrow());
        assertEquals("true", r.headers().firstValue("x-echo-secure").orElseThrow());
        assertEquals("localhost:" + server.tlsPort(), r.headers().firstValue("x-echo-authority").orElseThrow());
        assertEquals("ORIGIN", r.headers().firstValue("x-echo-form").orElseThrow());
    }

    @Test
    void jdkClientThroughProxyUsesAbsoluteForm() throws Exception {
        HttpResponse<String> r = jdkProxiedClient(HttpClient.Version.HTTP_1_1).send(
                HttpRequest.newBuilder(URI.create("http://echo.demo.acip/plain?x=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("ABSOLUTE", r.headers().firstValue("x-echo-form").orElseThrow());
        assertEquals("echo.demo.acip", r.headers().firstValue("x-echo-authority").orElseThrow());
        assertEquals("/plain?x=1", r.headers().firstValue("x-echo-path").orElseThrow());
        assertEquals("false", r.headers().firstValue("x-echo-secure").orElseThrow());
        assertFalse(r.headers().firstValue("date").isPresent(), "Date comes from the origin, not the listener");
    }
}
