package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.acip.gateway.Gateway;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.demo.DemoAgents;
import io.acip.routing.NextHop;
import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import io.acip.tls.Pem;
import io.acip.wire.SkillName;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin plane (issue 9 item 5) over real sockets with curl: who may call it (token, client certificate, local
 * callers without credentials), what a request must look like, and what a run-time registration may take.
 */
class AdminPlaneTest {
    private static final String TOKEN = "s3cret-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static DemoAgents demo;
    /** Origins that answer with their own name, so a test sees which one a request reached. */
    static HttpServer first;
    static HttpServer second;
    /** One node, HTTP listener and agents together; its admin listener wants the token. */
    static Gateway solo;
    /** A credential-less admin listener on loopback. */
    static Gateway open;
    /** A TLS admin listener that takes client certificates from its own CA; metrics are public. */
    static Gateway mtls;
    static Path tokenFile;
    static Path clientPem;
    static Path clientKey;
    static Path strangerPem;
    static Path strangerKey;
    /** A second client of the admin CA: another caller than {@link #clientPem}. */
    static Path colleaguePem;
    static Path colleagueKey;
    static final List<AutoCloseable> parts = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        demo = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0));
        parts.add(demo);
        first = named("first");
        second = named("second");
        tokenFile = dir.resolve("admin.token");
        Files.writeString(tokenFile, TOKEN + "\n");
        String ca = dir.resolve("ca").toString();
        solo = start(new GatewayConfig(new GatewayConfig.Node("solo", null, null, ca, List.of(),
                List.of(new GatewayConfig.Route("routed", "elsewhere", 0L, 0, 1, "", Map.of())), null, null),
                new GatewayConfig.Http("solo", "127.0.0.1:0", null, null, null, null, null,
                        List.of(new GatewayConfig.Rule("ruled.example", null, "ruled/skill", false)),
                        List.of("demo/echo", "kept/skill"), List.of(), "5s"),
                null, List.of(new GatewayConfig.Agent("demo", demo.uri().toString(), false, false,
                        List.of(new GatewayConfig.AgentSkill("demo/echo", "", "", Map.of())))),
                admin("127.0.0.1:0", tokenFile.toString(), null, false, List.of())));
        open = start(new GatewayConfig(new GatewayConfig.Node("open", null, null, ca, List.of(), List.of(), null,
                null), null, null, List.of(), admin("127.0.0.1:0", null, null, false,
                List.of("https://console.example"))));

        FabricCa clients = FabricCa.generate("admin clients");
        Path clientCa = dir.resolve("admin-ca.pem");
        Files.writeString(clientCa, Pem.encode(List.of(clients.certificate())));
        clientPem = dir.resolve("operator.pem");
        clientKey = dir.resolve("operator-key.pem");
        clients.issueNode("operator", Duration.ofHours(1)).writePem(clientPem, clientKey);
        colleaguePem = dir.resolve("colleague.pem");
        colleagueKey = dir.resolve("colleague-key.pem");
        clients.issueNode("colleague", Duration.ofHours(1)).writePem(colleaguePem, colleagueKey);
        strangerPem = dir.resolve("stranger.pem");
        strangerKey = dir.resolve("stranger-key.pem");
        FabricCa.generate("elsewhere").issueNode("stranger", Duration.ofHours(1)).writePem(strangerPem, strangerKey);
        mtls = start(new GatewayConfig(new GatewayConfig.Node("mtls", null, null, ca, List.of(), List.of(), null,
                null), null, null, List.of(), admin("127.0.0.1:0", null, clientCa.toString(), true, List.of())));
    }

    private static GatewayConfig.Admin admin(String listen, String token, String clientCa, boolean metricsPublic,
                                             List<String> origins) {
        return new GatewayConfig.Admin(listen, token, clientCa, null, null, metricsPublic, origins, null);
    }

    private static Gateway start(GatewayConfig c) throws Exception {
        Gateway g = Gateway.start(c);
        parts.add(g);
        return g;
    }

    private static HttpServer named(String name) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", ex -> {
            byte[] body = (name + "\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        s.start();
        parts.add(() -> s.stop(0));
        return s;
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = parts.size() - 1; i >= 0; i--) parts.get(i).close();
    }

    private static String adminUrl(Gateway g, String path) {
        return "http://127.0.0.1:" + g.adminPort() + path;
    }

    private static Curl.Result call(Gateway g, String method, String path, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-i", "-X", method));
        all.addAll(List.of(args));
        all.add(adminUrl(g, path));
        return Curl.run(all.toArray(String[]::new));
    }

    private static Curl.Result register(Gateway g, String document, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-H", "Content-Type: application/json", "--data-binary", document));
        all.addAll(List.of(args));
        return call(g, "POST", "/agents", all.toArray(String[]::new));
    }

    private static Curl.Result withToken(String method, String path, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-H", "Authorization: Bearer " + TOKEN));
        all.addAll(List.of(args));
        return call(solo, method, path, all.toArray(String[]::new));
    }

    private static Curl.Result registerWithToken(String document) throws Exception {
        return register(solo, document, "-H", "Authorization: Bearer " + TOKEN);
    }

    private static String agent(String name, String origin, String... skills) {
        StringBuilder b = new StringBuilder("{\"agent\":\"" + name + "\",\"origin\":\"" + origin + "\",\"skills\":[");
        for (int i = 0; i < skills.length; i++) {
            b.append(i > 0 ? "," : "").append("{\"name\":\"").append(skills[i]).append("\"}");
        }
        return b.append("]}").toString();
    }

    private static String origin(HttpServer s) {
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    /** A request through solo's HTTP listener, by path; the body says which origin answered. */
    private static Curl.Result through(String path) throws Exception {
        return Curl.run("-i", "http://127.0.0.1:" + solo.httpPorts()[0] + path);
    }

    private static JsonNode problem(Curl.Result r) throws IOException {
        assertEquals("application/problem+json", r.header("content-type"), r.out());
        return JSON.readTree(r.body());
    }

    private static List<String> attached(Gateway g) {
        return g.agents().agents().stream().map(a -> a.agent()).toList();
    }

    @Test
    void everyEndpointButHealthzWantsTheToken() throws Exception {
        for (String[] request : List.of(new String[] {"GET", "/routes"}, new String[] {"GET", "/metrics"},
                new String[] {"DELETE", "/agents/demo"}, new String[] {"GET", "/nowhere"})) {
            Curl.Result r = call(solo, request[0], request[1]);
            assertEquals(401, r.status(), request[1] + ": " + r.out());
            assertEquals("Bearer realm=\"acip-admin\"", r.header("www-authenticate"));
            assertEquals(401, problem(r).get("status").asInt());
        }
        Curl.Result post = register(solo, agent("nobody", origin(first), "rt/nobody"));
        assertEquals(401, post.status(), post.out());
        assertFalse(attached(solo).contains("nobody"));
        Curl.Result health = call(solo, "GET", "/healthz");
        assertEquals(200, health.status(), health.out());
        assertTrue(health.body().contains("\"node\":\"solo\""), health.body());
    }

    @Test
    void aWrongTokenIs401AndTheRightOneIsServed() throws Exception {
        for (String authorization : List.of("Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1), "Bearer ",
                "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + TOKEN).getBytes()), TOKEN)) {
            Curl.Result r = call(solo, "GET", "/routes", "-H", "Authorization: " + authorization);
            assertEquals(401, r.status(), authorization + ": " + r.out());
            assertEquals("Bearer realm=\"acip-admin\"", r.header("www-authenticate"));
        }
        Curl.Result routes = call(solo, "GET", "/routes", "-H", "Authorization: bearer  " + TOKEN);
        assertEquals(200, routes.status(), routes.out());
        assertTrue(routes.body().contains("demo/echo"), routes.body());
        assertEquals(200, withToken("GET", "/metrics").status());
    }

    @Test
    void theTokenAttachesAnAgentAndItsSkillServes() throws Exception {
        Curl.Result r = registerWithToken(agent("first", origin(first), "rt/first"));
        assertEquals(201, r.status(), r.out());
        assertEquals("{\"agent\":\"first\",\"skills\":[\"rt/first\"]}", r.body());
        assertEquals("first\n", through("/skills/rt/first/x").body());
    }

    @Test
    void aRotatedTokenReplacesTheOldOne() throws Exception {
        Path rotating = dir.resolve("rotating.token");
        Files.writeString(rotating, "old-token");
        try (Gateway g = Gateway.start(new GatewayConfig(new GatewayConfig.Node("rotating", null, null,
                dir.resolve("ca").toString(), List.of(), List.of(), null, null), null, null, List.of(),
                admin("127.0.0.1:0", rotating.toString(), null, false, List.of())))) {
            assertEquals(200, call(g, "GET", "/routes", "-H", "Authorization: Bearer old-token").status());
            Files.writeString(rotating, "  new-token\n");
            Files.setLastModifiedTime(rotating, FileTime.from(Instant.now().plusSeconds(5)));
            assertEquals(401, call(g, "GET", "/routes", "-H", "Authorization: Bearer old-token").status());
            assertEquals(200, call(g, "GET", "/routes", "-H", "Authorization: Bearer new-token").status());
        }
    }

    @Test
    void metricsAreClosedUnlessPublic() throws Exception {
        assertEquals(401, call(solo, "GET", "/metrics").status());
        Curl.Result r = Curl.run("-i", "--cacert", dir.resolve("ca").resolve("ca.pem").toString(),
                "https://127.0.0.1:" + mtls.adminPort() + "/metrics");
        assertEquals(200, r.status(), r.out() + r.err());
        assertTrue(r.header("content-type").startsWith("text/plain"), r.out());
    }

    @Test
    void hijackingAConfiguredSkillIs409AndTheOriginalStillServes() throws Exception {
        for (String[] c : List.of(new String[] {"demo/echo", "agent demo (configuration: agents)"},
                new String[] {"kept/skill", "configuration (http.skills)"},
                new String[] {"ruled/skill", "configuration (http.rules[0])"},
                new String[] {"routed/anything", "configuration (node.routes[0], via elsewhere)"})) {
            Curl.Result r = registerWithToken(agent("intruder", origin(second), "rt/innocent", c[0]));
            assertEquals(409, r.status(), r.out());
            JsonNode p = problem(r);
            assertEquals(c[1], p.get("holder").asText());
            assertEquals("skill " + c[0] + " is held by " + c[1], p.get("detail").asText());
        }
        assertFalse(attached(solo).contains("intruder"));
        assertNotEquals("second\n", through("/skills/rt/innocent/").body()); // nothing of it was attached
        Curl.Result echo = through("/skills/demo/echo/still-here");
        assertEquals(200, echo.status(), echo.out());
        assertEquals("/still-here", JSON.readTree(echo.body()).get("path").asText());
        // Its name is configuration's too.
        Curl.Result named = registerWithToken(agent("demo", origin(second), "rt/demo-again"));
        assertEquals(409, named.status(), named.out());
        assertEquals("agent demo (configuration: agents)", problem(named).get("holder").asText());
        assertEquals("/still-here", JSON.readTree(through("/skills/demo/echo/still-here").body()).get("path").asText());
    }

    @Test
    void hijackingAnotherAgentsSkillIs409AndItStillServes() throws Exception {
        assertEquals(201, registerWithToken(agent("owner", origin(first), "rt/owned")).status());
        Curl.Result r = registerWithToken(agent("thief", origin(second), "rt/owned"));
        assertEquals(409, r.status(), r.out());
        assertEquals("agent owner", problem(r).get("holder").asText());
        assertEquals("first\n", through("/skills/rt/owned/").body());
    }

    @Test
    void reRegisteringReplacesTheAgentsOwnSkills() throws Exception {
        assertEquals(201, registerWithToken(agent("mover", origin(first), "rt/a", "rt/b")).status());
        assertEquals(201, registerWithToken(agent("mover", origin(second), "rt/b", "rt/c")).status());
        assertEquals("second\n", through("/skills/rt/b/").body());
        assertEquals("second\n", through("/skills/rt/c/").body());
        // rt/a was let go: another agent may take it.
        assertEquals(201, registerWithToken(agent("taker", origin(first), "rt/a")).status());
        assertEquals("first\n", through("/skills/rt/a/").body());
    }

    @Test
    void detachRemovesOnlyWhatTheAgentRegistered() throws Exception {
        Curl.Result configured = withToken("DELETE", "/agents/demo");
        assertEquals(409, configured.status(), configured.out());
        assertTrue(problem(configured).get("holder").asText().startsWith("configuration (agents)"));
        Curl.Result unknown = withToken("DELETE", "/agents/nobody-here");
        assertEquals(404, unknown.status(), unknown.out());
        assertEquals("nobody-here", problem(unknown).get("agent").asText());

        assertEquals(201, registerWithToken(agent("leaver", origin(first), "rt/leave")).status());
        assertEquals("first\n", through("/skills/rt/leave/").body());
        assertEquals(204, withToken("DELETE", "/agents/leaver").status());
        assertFalse(attached(solo).contains("leaver"));
        assertNotEquals("first\n", through("/skills/rt/leave/").body());
        Curl.Result echo = through("/skills/demo/echo/after-detach");
        assertEquals(200, echo.status(), echo.out());
        assertEquals("/after-detach", JSON.readTree(echo.body()).get("path").asText());
        assertEquals(404, withToken("DELETE", "/agents/leaver").status());
    }

    /** Longest prefix would hand part of a held skill to a name under or over it (RouteTable, SkillMapper). */
    @Test
    void namesUnderOrOverAHeldSkillAre409() throws Exception {
        assertEquals(201, registerWithToken(agent("nester", origin(first), "rt/nest/inner")).status());
        for (String[] c : List.of(new String[] {"rt/nest/inner/deeper", "agent nester (as rt/nest/inner)"},
                new String[] {"rt/nest", "agent nester (as rt/nest/inner)"},
                new String[] {"demo", "agent demo (configuration: agents) (as demo/echo)"},
                new String[] {"demo/echo/sub", "agent demo (configuration: agents) (as demo/echo)"},
                new String[] {"kept/skill/sub", "configuration (http.skills)"},
                new String[] {"ruled", "configuration (http.rules[0])"})) {
            Curl.Result r = registerWithToken(agent("squatter", origin(second), c[0]));
            assertEquals(409, r.status(), c[0] + ": " + r.out());
            assertEquals(c[1], problem(r).get("holder").asText(), c[0]);
        }
        assertFalse(attached(solo).contains("squatter"));
        assertEquals("first\n", through("/skills/rt/nest/inner/").body());
        // A sibling is nobody's.
        assertEquals(201, registerWithToken(agent("sibling", origin(second), "rt/nest-other")).status());
    }

    /** A local instance would outrank a route through a neighbour and then be announced fabric-wide. */
    @Test
    void namesTheRouteTableReachesThroughANeighbourAre409() throws Exception {
        solo.node().routes().add(0, new SkillName("static-at-run-time"),
                new NextHop.Neighbour("elsewhere", 0, 1, "", Map.of()));
        solo.node().routes().setLearned(0, new SkillName("fabric/pay"),
                List.of(new NextHop.Neighbour("far-away", 100, 1, "", Map.of())));
        for (String[] c : List.of(
                new String[] {"static-at-run-time/x", "a static route (static-at-run-time via elsewhere)"},
                new String[] {"fabric/pay", "the fabric (route fabric/pay learned from far-away)"},
                new String[] {"fabric/pay/authorize", "the fabric (route fabric/pay learned from far-away)"},
                new String[] {"fabric", "the fabric (route fabric/pay learned from far-away)"})) {
            Curl.Result r = registerWithToken(agent("diverter", origin(second), c[0]));
            assertEquals(409, r.status(), c[0] + ": " + r.out());
            assertEquals(c[1], problem(r).get("holder").asText(), c[0]);
        }
        assertFalse(attached(solo).contains("diverter"));
    }

    /** An agent belongs to the admin caller who registered it: another may neither replace nor detach it. */
    @Test
    void onlyTheCallerWhoRegisteredAnAgentReplacesOrDetachesIt() throws Exception {
        String ca = dir.resolve("ca").resolve("ca.pem").toString();
        String agents = "https://127.0.0.1:" + mtls.adminPort() + "/agents";
        List<String> operator = List.of("--cacert", ca, "--cert", clientPem.toString(), "--key", clientKey.toString());
        List<String> colleague = List.of("--cacert", ca, "--cert", colleaguePem.toString(), "--key",
                colleagueKey.toString());
        assertEquals(201, asCaller(operator, "POST", agents, agent("owned", origin(first), "rt/owned-by-cert")).status());
        Curl.Result replace = asCaller(colleague, "POST", agents, agent("owned", origin(second), "rt/elsewhere"));
        assertEquals(409, replace.status(), replace.out());
        assertTrue(problem(replace).get("holder").asText().matches("agent owned \\(registered by certificate .*operator.*\\)"),
                replace.body());
        Curl.Result detach = asCaller(colleague, "DELETE", agents + "/owned", null);
        assertEquals(409, detach.status(), detach.out());
        assertTrue(attached(mtls).contains("owned"));
        assertEquals(201, asCaller(operator, "POST", agents, agent("owned", origin(second), "rt/owned-by-cert")).status());
        assertEquals(204, asCaller(operator, "DELETE", agents + "/owned", null).status());
        assertFalse(attached(mtls).contains("owned"));
    }

    private static Curl.Result asCaller(List<String> credentials, String method, String url, String document)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("-i", "-X", method));
        args.addAll(credentials);
        if (document != null) args.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", document));
        args.add(url);
        return Curl.run(args.toArray(String[]::new));
    }

    @Test
    void inwardAddressesAreRefused() throws Exception {
        for (String[] c : List.of(
                new String[] {agent("inward", "http://10.0.0.1:8080", "rt/inward"), "origin", "10.0.0.1"},
                new String[] {agent("inward", "http://169.254.169.254", "rt/inward"), "origin", "169.254.169.254"},
                new String[] {agent("inward", "http://[fd00::1]:80", "rt/inward"), "origin", "fd00:0:0:0:0:0:0:1"},
                new String[] {"{\"agent\":\"inward\",\"origin\":\"" + origin(first) + "\",\"udp\":\"10.0.0.1:53\","
                        + "\"skills\":[{\"name\":\"rt/inward\"}]}", "udp", "10.0.0.1"},
                new String[] {"{\"agent\":\"inward\",\"origin\":\"" + origin(first) + "\",\"skills\":[{\"name\":"
                        + "\"rt/inward\",\"udp\":\"192.168.1.1:4433\"}]}", "skills[0].udp", "192.168.1.1"})) {
            Curl.Result r = registerWithToken(c[0]);
            assertEquals(403, r.status(), r.out());
            JsonNode p = problem(r);
            assertEquals(c[1], p.get("field").asText(), r.body());
            assertEquals(c[2], p.get("address").asText(), r.body());
            assertTrue(p.get("detail").asText().contains("outside admin.attach_allowed"), r.body());
        }
        assertFalse(attached(solo).contains("inward"));
        // A name is resolved and each of its addresses checked: localhost is loopback.
        int port = first.getAddress().getPort();
        assertEquals(201, registerWithToken(agent("by-name", "http://localhost:" + port, "rt/by-name")).status());
    }

    @Test
    void crossSiteShapedRequestsRegisterNothing() throws Exception {
        String doc = agent("csrf", origin(first), "rt/csrf");
        // What a browser sends for a cross-site form or fetch without preflight.
        Curl.Result browser = call(open, "POST", "/agents", "-H", "Content-Type: text/plain", "-H",
                "Origin: http://evil.example", "-H", "Host: evil.example", "--data-binary", doc);
        assertEquals(403, browser.status(), browser.out());
        assertEquals("http://evil.example", problem(browser).get("origin").asText());
        // The same after DNS rebinding: same-origin, so no Origin, but the Host names the attacker's site.
        Curl.Result rebound = call(open, "POST", "/agents", "-H", "Content-Type: application/json", "-H",
                "Host: evil.example:" + open.adminPort(), "--data-binary", doc);
        assertEquals(403, rebound.status(), rebound.out());
        assertEquals("host-not-local", problem(rebound).get("type").asText().replaceAll(".*/", ""));
        Curl.Result plain = call(open, "POST", "/agents", "-H", "Content-Type: text/plain", "--data-binary", doc);
        assertEquals(415, plain.status(), plain.out());
        Curl.Result form = call(open, "POST", "/agents", "--data-binary", doc); // curl's default: a form
        assertEquals(415, form.status(), form.out());
        assertEquals(List.of(), attached(open));
        // With the token, a text/plain body is still refused.
        assertEquals(415, call(solo, "POST", "/agents", "-H", "Authorization: Bearer " + TOKEN, "-H",
                "Content-Type: text/plain", "--data-binary", doc).status());
        assertFalse(attached(solo).contains("csrf"));
        // A listed origin (an operator's console) gets through.
        assertEquals(201, register(open, doc, "-H", "Origin: https://console.example").status());
        assertEquals(List.of("csrf"), attached(open));
    }

    @Test
    void aLoopbackListenerWithoutCredentialsServesLocalTools() throws Exception {
        assertEquals(200, call(open, "GET", "/metrics").status());
        assertEquals(200, call(open, "GET", "/routes", "-H", "Host: localhost").status());
    }

    @Test
    void aClientCertificateFromTheAdminCaIsLetIn() throws Exception {
        String ca = dir.resolve("ca").resolve("ca.pem").toString();
        String routes = "https://127.0.0.1:" + mtls.adminPort() + "/routes";
        Curl.Result r = Curl.run("-i", "--cacert", ca, "--cert", clientPem.toString(), "--key", clientKey.toString(),
                routes);
        assertEquals(200, r.status(), r.out() + r.err());
        Curl.Result none = Curl.run("-i", "--cacert", ca, routes);
        assertEquals(401, none.status(), none.out() + none.err());
        assertEquals("Bearer realm=\"acip-admin\"", none.header("www-authenticate"));
        Curl.Result stranger = Curl.run("-i", "--cacert", ca, "--cert", strangerPem.toString(), "--key",
                strangerKey.toString(), routes);
        // A chain from another CA fails the handshake (alert certificate_unknown): no answer at all.
        assertNotEquals(0, stranger.exit(), stranger.out());
        assertTrue(stranger.err().contains("certificate unknown"), stranger.err());
        Curl.Result cleartext = Curl.run("-i", "http://127.0.0.1:" + mtls.adminPort() + "/routes");
        assertNotEquals(200, cleartext.status(), cleartext.out());
        Curl.Result attach = Curl.run("-i", "--cacert", ca, "--cert", clientPem.toString(), "--key",
                clientKey.toString(), "-H", "Content-Type: application/json", "--data-binary",
                agent("by-cert", origin(first), "rt/by-cert"), "https://127.0.0.1:" + mtls.adminPort() + "/agents");
        assertEquals(201, attach.status(), attach.out() + attach.err());
    }

    /** The embedded demo: local tools need no credentials, and the skills it learned routes to cannot be taken. */
    @Test
    void theDemoAdminServesLoopbackWithoutCredentials() throws Exception {
        try (io.acip.gateway.Demo d = io.acip.gateway.Demo.start(dir.resolve("demo"), 0, 0, 0)) {
            String at = "http://127.0.0.1:" + d.edge().adminPort();
            assertTrue(d.instructions().contains("admin.token_file"), d.instructions());
            assertEquals(200, Curl.run("-i", at + "/metrics").status());
            Curl.Result routes = Curl.run("-i", at + "/routes");
            assertEquals(200, routes.status());
            assertTrue(routes.body().contains("demo"), routes.body());
            // demo/udp-echo is not in the edge's http.skills, but the edge learned its route from far.
            Curl.Result r = Curl.run("-i", "-H", "Content-Type: application/json", "--data-binary",
                    agent("intruder", origin(second), "demo/udp-echo"), at + "/agents");
            assertEquals(409, r.status(), r.out());
            assertEquals("the fabric (route demo/udp-echo learned from transit)", problem(r).get("holder").asText());
        }
    }
}
