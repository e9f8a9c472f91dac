package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.acip.capsule.bhttp.Fields;
import io.acip.gateway.auth.Tokens;
import io.acip.ingress.masque.Http1MasqueClient;
import io.acip.ingress.masque.Http2MasqueClient;
import io.acip.ingress.masque.Http3MasqueClient;
import io.acip.ingress.masque.MasqueClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may do what at the edge, over real sockets with independent clients (curl for HTTP/1.1 and HTTP/2, Flupke for
 * HTTP/3), one body per case run on every form an agent can use: reverse proxy on each HTTP version, absolute-form
 * forward proxy, CONNECT with interception and CONNECT carried as a byte tunnel.
 */
class EdgeAuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static AuthEdge edge;
    static HttpClient h3;

    /** How the agent reaches the gateway. */
    enum Form {
        REVERSE_H1(false), REVERSE_H2C(false), REVERSE_H2_TLS(false), REVERSE_H3(false), FORWARD_H1(true),
        CONNECT_INTERCEPTED(true), CONNECT_CARRIED(true);

        final boolean proxy;

        Form(boolean proxy) {
            this.proxy = proxy;
        }

        int refusedStatus() {
            return proxy ? 407 : 401;
        }

        String challengeField() {
            return proxy ? "proxy-authenticate" : "www-authenticate";
        }
    }

    /** What the agent saw. */
    record Answer(int status, String headers, String body) {
        String header(String name) {
            return Curl.headerIn(headers, name);
        }

        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        edge = new AuthEdge(dir);
        X509Certificate ca;
        try (var in = Files.newInputStream(edge.caPem)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        h3 = tech.kwik.flupke.Http3Client.newBuilder()
                .trustManager(io.acip.ingress.masque.KwikH3Connection.trustManager(ca))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (edge != null) edge.close();
    }

    static Stream<Form> forms() {
        return Stream.of(Form.values());
    }

    /** Forms whose exchanges are counted one by one (a carried byte tunnel counts once, as it opens). */
    static Stream<Form> exchangeForms() {
        return Stream.of(Form.REVERSE_H1, Form.REVERSE_H2C, Form.REVERSE_H2_TLS, Form.FORWARD_H1,
                Form.CONNECT_INTERCEPTED);
    }

    /** The form's way to name {@code family/name}: a host for proxy forms, a path prefix otherwise. */
    private static String skill(Form form, String name) {
        return form == Form.CONNECT_CARRIED ? name.replace("demo/", "plain/") : name;
    }

    /** One request for {@code skill} with {@code credential} as the form's credential field (null: none). */
    static Answer call(Form form, String skill, String credential, String... extra) throws Exception {
        String s = skill(form, skill);
        String[] parts = s.split("/");
        String host = parts[1] + "." + parts[0] + ".acip";
        if (form == Form.REVERSE_H3) return h3(s, credential);
        List<String> args = new ArrayList<>(List.of("-i"));
        String auth = credential == null ? null : (form.proxy ? "Proxy-Authorization: " : "Authorization: ") + credential;
        switch (form) {
            case REVERSE_H1, REVERSE_H2C -> {
                if (form == Form.REVERSE_H2C) args.add("--http2-prior-knowledge");
                args.add("http://127.0.0.1:" + edge.http() + "/skills/" + s + "/x");
            }
            case REVERSE_H2_TLS -> args.addAll(List.of("--http2", "--cacert", edge.caPem.toString(),
                    "https://localhost:" + edge.https() + "/skills/" + s + "/x"));
            case FORWARD_H1 -> args.addAll(List.of("-x", "http://127.0.0.1:" + edge.http(), "http://" + host + "/x"));
            case CONNECT_INTERCEPTED -> args.addAll(List.of("-x", "http://127.0.0.1:" + edge.http(), "--cacert",
                    edge.caPem.toString(), "https://" + host + "/x"));
            case CONNECT_CARRIED -> args.addAll(List.of("-p", "-x", "http://127.0.0.1:" + edge.http(),
                    "http://" + host + "/x"));
            default -> throw new IllegalArgumentException(form.name());
        }
        if (auth != null) args.addAll(0, List.of(form.proxy ? "--proxy-header" : "-H", auth));
        args.addAll(0, List.of(extra));
        Curl.Result r = Curl.run(args.toArray(String[]::new));
        int status = r.status();
        if (status == 0) { // curl reports a refused CONNECT on stderr only
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("response (\\d{3})").matcher(r.err());
            if (m.find()) status = Integer.parseInt(m.group(1));
        }
        return new Answer(status, r.out() + r.err(), r.body());
    }

    private static Answer h3(String skill, String credential) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + edge.https() + "/skills/"
                + skill + "/x"));
        if (credential != null) b.header("Authorization", credential);
        HttpResponse<String> r = h3.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
                .get(20, TimeUnit.SECONDS);
        StringBuilder headers = new StringBuilder();
        r.headers().map().forEach((k, v) -> v.forEach(value -> headers.append(k).append(": ").append(value)
                .append('\n')));
        return new Answer(r.statusCode(), headers.toString(), r.body());
    }

    private static String jwt(String subject, String... groups) {
        return "Bearer " + edge.tokens.es256(Tokens.claims(subject, groups).build());
    }

    private static void assertChallenged(Form form, Answer a, String expectError) {
        assertEquals(form.refusedStatus(), a.status(), a.headers());
        String challenge = a.header(form.challengeField());
        assertNotNull(challenge, a.headers());
        assertTrue(challenge.startsWith("Bearer realm=\"acip-edge\""), challenge);
        assertEquals(expectError != null, challenge.contains("error=\"invalid_token\""), challenge);
        if (expectError != null) assertTrue(challenge.contains(expectError), challenge);
        String proxyStatus = a.header("proxy-status");
        assertNotNull(proxyStatus, a.headers());
        assertTrue(proxyStatus.startsWith("acip-edge; error=http_request_denied"), proxyStatus);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void noCredentialsIsChallenged(Form form) throws Exception {
        Answer a = call(form, "demo/echo", null);
        assertChallenged(form, a, null);
        if (!form.proxy) assertTrue(a.body().contains("\"status\":401"), a.body());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void badCredentialsExpiredTokensAndWrongAudiencesAreRefused(Form form) throws Exception {
        assertChallenged(form, call(form, "demo/echo", "Bearer key-wrong"), "unknown API key");
        String expired = edge.tokens.es256(Tokens.claims("late", "ci")
                .expirationTime(Date.from(Instant.now().minusSeconds(600))).build());
        assertChallenged(form, call(form, "demo/echo", "Bearer " + expired), "token expired");
        String elsewhere = edge.tokens.es256(Tokens.claims("lost", "ci").audience("another-gateway").build());
        assertChallenged(form, call(form, "demo/echo", "Bearer " + elsewhere), "audience");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void allowedCallersReachTheSkillAndTheGatewaysCredentialGoesNoFurther(Form form) throws Exception {
        for (String credential : List.of("Bearer " + AuthEdge.CI_KEY, jwt("agent-" + form, "ci"))) {
            Answer a = call(form, "demo/echo", credential);
            assertEquals(200, a.status(), a.headers());
            JsonNode headers = a.json().get("headers");
            assertFalse(headers.has("authorization"), headers.toString());
            assertFalse(headers.has("proxy-authorization"), headers.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void aCallerOutsideTheRuleIsForbidden(Form form) throws Exception {
        Answer a = call(form, "demo/secret", "Bearer " + AuthEdge.CI_KEY);
        assertEquals(403, a.status(), a.headers());
        assertTrue(a.header("proxy-status").startsWith("acip-edge; error=http_request_denied"), a.headers());
        assertTrue(a.header("proxy-status").contains("policy[1]"), a.header("proxy-status"));
        // A skill no rule covers is denied too, since auth is on.
        assertEquals(403, call(form, "demo/unruled", "Bearer " + AuthEdge.CI_KEY).status());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void overTheRateIs429WithRetryAfter(Form form) throws Exception {
        String credential = jwt("rate-" + form, "ci"); // a bucket of its own
        for (int i = 0; i < 2; i++) assertEquals(200, call(form, "demo/limited", credential).status());
        Answer a = call(form, "demo/limited", credential);
        assertEquals(429, a.status(), a.headers());
        long retryAfter = Long.parseLong(a.header("retry-after"));
        assertTrue(retryAfter >= 1 && retryAfter <= 100, a.headers());
        assertTrue(a.header("proxy-status").contains("http_request_denied"), a.headers());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exchangeForms")
    void overConcurrencyIs429UntilTheStreamInFlightEnds(Form form) throws Exception {
        String credential = jwt("streams-" + form, "ci");
        Process stream = startStream(form, credential);
        try {
            Answer a = call(form, "demo/sse", credential);
            assertEquals(429, a.status(), a.headers());
            assertTrue(a.header("proxy-status").contains("concurrency"), a.headers());
        } finally {
            stream.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // The slot comes back once the gateway sees the stream gone: poll for it, bounded.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        int status;
        do {
            status = call(form, "demo/sse", credential, "--max-time", "5").status();
        } while (status == 429 && System.nanoTime() < deadline);
        assertEquals(200, status);
    }

    /** An SSE stream held open by curl, returned once its first event arrived (so it is in flight at the gateway). */
    private static Process startStream(Form form, String credential) throws Exception {
        String url = switch (form) {
            case REVERSE_H1, REVERSE_H2C -> "http://127.0.0.1:" + edge.http() + "/skills/demo/sse/?n=1000&interval_ms=100";
            case REVERSE_H2_TLS -> "https://localhost:" + edge.https() + "/skills/demo/sse/?n=1000&interval_ms=100";
            case FORWARD_H1 -> "http://sse.demo.acip/?n=1000&interval_ms=100";
            default -> "https://sse.demo.acip/?n=1000&interval_ms=100";
        };
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/curl", "-sN", "--max-time", "60", "--cacert",
                edge.caPem.toString()));
        if (form == Form.REVERSE_H2C) cmd.add("--http2-prior-knowledge");
        if (form.proxy) cmd.addAll(List.of("-x", "http://127.0.0.1:" + edge.http(), "--proxy-header",
                "Proxy-Authorization: " + credential));
        else cmd.addAll(List.of("-H", "Authorization: " + credential));
        cmd.add(url);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.toLowerCase().endsWith("_proxy"));
        Process p = pb.redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null && !line.startsWith("data:")) {
            // until the first event
        }
        assertNotNull(line, "the stream started");
        return p;
    }

    @Test
    void anonymousAgentsAreServedWhereARuleAdmitsThem() throws Exception {
        for (Form form : Form.values()) {
            if (form == Form.CONNECT_CARRIED) continue; // demo/open has no plain twin
            assertEquals(200, call(form, "demo/open", null).status(), form.name());
        }
    }

    @Test
    void passAuthorizationForwardsTheConsumedCredential() throws Exception {
        Answer passed = call(Form.REVERSE_H1, "demo/pass", "Bearer " + AuthEdge.CI_KEY);
        assertEquals(200, passed.status(), passed.headers());
        assertEquals("Bearer " + AuthEdge.CI_KEY, passed.json().get("headers").get("authorization").asText());
        // A proxy form's own Authorization is the origin's business: it passes, read by nobody here.
        Answer forward = call(Form.FORWARD_H1, "demo/echo", "Bearer " + AuthEdge.CI_KEY, "-H",
                "Authorization: Bearer for-the-origin");
        assertEquals("Bearer for-the-origin", forward.json().get("headers").get("authorization").asText());
    }

    @Test
    void basicProxyCredentialsCarryAnApiKey() throws Exception {
        Curl.Result r = Curl.run("-i", "-x", "http://127.0.0.1:" + edge.http(), "-U", "ci-bot:" + AuthEdge.CI_KEY,
                "http://echo.demo.acip/basic");
        assertEquals(200, r.status(), r.out() + r.err());
        Curl.Result wrong = Curl.run("-i", "-x", "http://127.0.0.1:" + edge.http(), "-U", "ci-bot:nope",
                "http://echo.demo.acip/basic");
        assertEquals(407, wrong.status(), wrong.out());
        assertTrue(wrong.out().contains("Basic realm=\"acip-edge\""), wrong.out());
    }

    @Test
    void aClientCertificateAuthenticatesOnTheTlsListener() throws Exception {
        Path[] cert = edge.clientCertificate(dir, "agent-7");
        Curl.Result r = Curl.run("-i", "--cacert", edge.caPem.toString(), "--cert", cert[0].toString(), "--key",
                cert[1].toString(), "https://localhost:" + edge.https() + "/skills/demo/echo/mtls");
        assertEquals(200, r.status(), r.out() + r.err());
        // Without a certificate the same request is challenged; the TLS handshake itself still succeeds.
        Curl.Result none = Curl.run("-i", "--cacert", edge.caPem.toString(), "https://localhost:" + edge.https()
                + "/skills/demo/echo/mtls");
        assertEquals(401, none.status(), none.out() + none.err());
    }

    @Test
    void aClientCertificateFromAnotherCaFailsTheHandshake() throws Exception {
        io.acip.tls.FabricCa other = io.acip.tls.FabricCa.generate("stranger");
        var id = other.issueNode("agent-x", Duration.ofDays(1));
        Path c = dir.resolve("stranger.pem");
        Path k = dir.resolve("stranger-key.pem");
        id.writePem(c, k);
        Curl.Result r = Curl.run("-i", "--cacert", edge.caPem.toString(), "--cert", c.toString(), "--key",
                k.toString(), "https://localhost:" + edge.https() + "/skills/demo/echo/mtls");
        assertTrue(r.exit() != 0, r.out() + r.err());
    }

    static Stream<String> masqueVersions() {
        return Stream.of("HTTP/1.1", "HTTP/2", "HTTP/3");
    }

    private static MasqueClient masque(String version) throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        X509Certificate ca;
        try (var in = Files.newInputStream(edge.caPem)) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        trust.setCertificateEntry("ca", ca);
        var tls = new java.net.InetSocketAddress("127.0.0.1", edge.https());
        return switch (version) {
            case "HTTP/1.1" -> Http1MasqueClient.cleartext(new java.net.InetSocketAddress("127.0.0.1", edge.http()));
            case "HTTP/2" -> Http2MasqueClient.tls(tls, trust);
            default -> Http3MasqueClient.connect(tls, ca);
        };
    }

    private static MasqueClient.Flow udpEcho(MasqueClient client, String field, String credential) throws Exception {
        Fields extra = credential == null ? Fields.EMPTY : Fields.of(field, credential);
        return client.open("localhost", "/.well-known/masque/udp/udp-echo.test.acip/7/", extra, true,
                Duration.ofSeconds(10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("masqueVersions")
    void connectUdpIsAuthenticatedAuthorizedAndCountedBeforeAnyFlowExists(String version) throws Exception {
        int ok = version.equals("HTTP/1.1") ? 101 : 200;
        String credential = jwt("udp-" + version, "ci");
        try (MasqueClient client = masque(version)) {
            try (MasqueClient.Flow none = udpEcho(client, null, null)) {
                assertEquals(407, none.status());
                assertTrue(none.headers().first("proxy-authenticate").orElse("").startsWith("Bearer"));
            }
            try (MasqueClient.Flow bad = udpEcho(client, "proxy-authorization", "Bearer key-wrong")) {
                assertEquals(407, bad.status());
            }
            try (MasqueClient.Flow intruder = udpEcho(client, "proxy-authorization", "Bearer " + AuthEdge.INTRUDER_KEY)) {
                assertEquals(403, intruder.status());
            }
            try (MasqueClient.Flow flow = udpEcho(client, "proxy-authorization", credential)) {
                assertEquals(ok, flow.status());
                byte[] payload = "through an authenticated flow".getBytes(StandardCharsets.UTF_8);
                flow.send(payload);
                org.junit.jupiter.api.Assertions.assertArrayEquals(payload, flow.receive(Duration.ofSeconds(10)));
                // One flow in flight is the rule's concurrency: a second is refused while it lives.
                try (MasqueClient.Flow second = udpEcho(client, "authorization", credential)) {
                    assertEquals(429, second.status());
                    assertTrue(second.headers().first("retry-after").isPresent());
                }
            }
            // The first flow's end gives its slot back.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            int status;
            do {
                try (MasqueClient.Flow again = udpEcho(client, "proxy-authorization", credential)) {
                    status = again.status();
                }
            } while (status == 429 && System.nanoTime() < deadline);
            assertEquals(ok, status);
        }
    }

    @Test
    void theRefusalCounters() throws Exception {
        long denied = edge.edge.metrics().get("gateway.policy.denied");
        call(Form.REVERSE_H1, "demo/secret", "Bearer " + AuthEdge.CI_KEY);
        assertEquals(denied + 1, edge.edge.metrics().get("gateway.policy.denied"));
    }
}
