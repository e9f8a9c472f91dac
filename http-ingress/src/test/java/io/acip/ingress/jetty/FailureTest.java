package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ResponseSink.fail(): a complete error answer before the head, an incomplete response after it. */
class FailureTest extends IngressFixture {
    private static final String PROXY_STATUS =
            PROXY_NAME + "; error=connection_refused; details=\"upstream \\\"skill\\\" refused%0athe connection\"";
    private static final String PROBLEM = "{\"type\":\"https://acip.dev/problems/connection_refused\","
            + "\"title\":\"Connection refused\",\"status\":502,"
            + "\"detail\":\"upstream \\\"skill\\\" refused\\nthe connection\"}";

    private String url(HttpClient.Version version, String path) {
        return version == HttpClient.Version.HTTP_2 ? tlsUrl(path) : cleartextUrl(path);
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void failBeforeCommitAnswersWithProxyStatusAndProblemDetails(HttpClient.Version version) throws Exception {
        HttpResponse<String> r = jdkClient(version).send(HttpRequest.newBuilder(URI.create(url(version,
                "/fail-before"))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(502, r.statusCode());
        assertEquals(PROXY_STATUS, r.headers().firstValue("proxy-status").orElseThrow());
        assertEquals("application/problem+json", r.headers().firstValue("content-type").orElseThrow());
        assertEquals(PROBLEM, r.body());
        assertEquals(String.valueOf(PROBLEM.getBytes(StandardCharsets.UTF_8).length),
                r.headers().firstValue("content-length").orElseThrow());
    }

    @Test
    void failBeforeCommitSeenByCurl() throws Exception {
        Curl.Result r = Curl.run("--http1.1", cleartextUrl("/fail-before"));
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(502, r.status());
        assertEquals(PROXY_STATUS, r.header("proxy-status").orElseThrow());
        assertEquals(PROBLEM, r.body());
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void failAfterCommitLeavesTheResponseIncomplete(HttpClient.Version version) throws Exception {
        HttpResponse<InputStream> r = jdkClient(version).send(HttpRequest.newBuilder(URI.create(url(version,
                "/fail-after"))).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        try (InputStream body = r.body()) {
            assertThrows(IOException.class, body::readAllBytes, "a clean end would pass the truncation off as whole");
        }
    }

    @Test
    void failAfterCommitMakesCurlReportAPartialTransfer() throws Exception {
        Curl.Result h1 = Curl.run("--http1.1", cleartextUrl("/fail-after"));
        assertEquals(18, h1.exit(), h1.stderr()); // CURLE_PARTIAL_FILE: chunked body never terminated
        Curl.Result h2 = Curl.run("--http2-prior-knowledge", cleartextUrl("/fail-after"));
        assertEquals(92, h2.exit(), h2.stderr()); // CURLE_HTTP2_STREAM: the stream was reset
        assertTrue(server.counters().get("ingress.response.aborted") >= 2);
    }

    @Test
    void aHandlerThatThrowsGetsA500NotAHang() throws Exception {
        Curl.Result r = Curl.run("--http1.1", cleartextUrl("/throw"));
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(500, r.status());
        assertEquals(PROXY_NAME + "; error=proxy_internal_error; details=\"the gateway failed on this request\"",
                r.header("proxy-status").orElseThrow());
        assertTrue(server.counters().get("ingress.exchange.handler_failed") >= 1);
    }
}
