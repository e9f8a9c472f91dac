package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.acip.gateway.Gateway;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.demo.DemoAgents;
import io.acip.wire.SkillName;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edge, transit and far gateways with no static routes at all (docs/acip-v0.md §12): the edge learns the far
 * node's agents, configured and attached at run time, and forgets them when they detach; {@code GET /routes} shows
 * where each route came from.
 */
class LearnedRoutesTest {
    @TempDir
    static Path dir;
    static DemoAgents agents;
    static Gateway transit;
    static Gateway far;
    static Gateway edge;

    @BeforeAll
    static void start() throws Exception {
        agents = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0));
        String ca = dir.resolve("ca").toString();
        transit = Gateway.start(new GatewayConfig(Fabric3.node("transit", "127.0.0.1:0", ca, List.of(), List.of()),
                null, null, List.of(), null));
        String at = "127.0.0.1:" + transit.node().linkAddress().getPort();
        far = Gateway.start(new GatewayConfig(Fabric3.node("far", null, ca,
                List.of(new GatewayConfig.Neighbour("transit", at)), List.of()), null, null,
                List.of(new GatewayConfig.Agent("demo", agents.uri().toString(), false, false,
                        List.of(new GatewayConfig.AgentSkill("demo/echo", "", "eu-west", Map.of("gpu", "false"), null,
                                null, null, 4)))),
                new GatewayConfig.Admin("127.0.0.1:0")));
        edge = Gateway.start(new GatewayConfig(Fabric3.node("edge", null, ca,
                List.of(new GatewayConfig.Neighbour("transit", at)), List.of()),
                new GatewayConfig.Http("acip-edge", "127.0.0.1:0", null, null, null, null, null, List.of(), List.of(),
                        List.of(), "5s"),
                null, List.of(), new GatewayConfig.Admin("127.0.0.1:0")));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {edge, far, transit, agents}) if (c != null) c.close();
    }

    private static String proxy() {
        return "http://127.0.0.1:" + edge.httpPorts()[0];
    }

    private static void awaitAtEdge(SkillName skill, boolean present) throws Exception {
        edge.node().control().awaitRoutes(t -> t.lookup(0, skill).isPresent() == present).get(10, TimeUnit.SECONDS);
    }

    @Test
    void theEdgeReachesAConfiguredFarAgentItHasNoRouteFor() throws Exception {
        awaitAtEdge(new SkillName("demo/echo"), true);
        Curl.Result r = Curl.run("-i", "-x", proxy(), "-H", "Content-Type: text/plain", "--data-binary", "learned",
                "http://echo.demo.acip/");
        assertEquals(200, r.status(), r.out() + r.err());
        assertTrue(r.body().contains("\"bodyLength\":7") && r.body().contains("acip/0 far"), r.body()); // served at far

        JsonNode routes = new ObjectMapper().readTree(Curl.run("http://127.0.0.1:" + edge.adminPort() + "/routes").out());
        assertEquals("edge", routes.get("node").asText());
        assertEquals("transit", routes.get("exchanging_with").get(0).asText());
        JsonNode echo = routes.get("routes").get(0);
        assertEquals("demo/echo", echo.get("prefix").asText());
        assertEquals("learned", echo.get("source").asText());
        assertEquals("transit", echo.get("next_hop").asText());
        assertEquals("[\"transit\",\"far\"]", echo.get("path").toString());
        assertEquals("eu-west", echo.get("region").asText());
        assertEquals("false", echo.get("attributes").get("gpu").asText());
        assertTrue(echo.get("best").asBoolean());

        JsonNode atFar = new ObjectMapper().readTree(Curl.run("http://127.0.0.1:" + far.adminPort() + "/routes").out());
        JsonNode local = atFar.get("routes").get(0);
        assertEquals("local", local.get("source").asText());
        assertTrue(local.get("advertised").asBoolean());
    }

    @Test
    void anAgentAttachedAtRunTimeIsReachableWithinASecondAndGoneWithinASecondOfDetaching() throws Exception {
        SkillName late = new SkillName("late/echo");
        String admin = "http://127.0.0.1:" + far.adminPort();
        String doc = "{\"agent\":\"late\",\"origin\":\"" + agents.uri() + "\",\"skills\":[{\"name\":\"late/echo\"}]}";
        long t0 = System.nanoTime();
        Curl.Result attached = Curl.run("-i", "-H", "Content-Type: application/json", "--data-binary", doc,
                admin + "/agents");
        assertEquals(201, attached.status(), attached.out() + attached.err());
        awaitAtEdge(late, true);
        Curl.Result r = Curl.run("-i", "-x", proxy(), "http://echo.late.acip/");
        long reachableMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(200, r.status(), r.out() + r.err());
        assertTrue(reachableMs < 1000, "reachable after " + reachableMs + " ms");

        t0 = System.nanoTime();
        assertEquals(204, Curl.run("-i", "-X", "DELETE", admin + "/agents/late").status());
        awaitAtEdge(late, false);
        Curl.Result gone = Curl.run("-i", "-x", proxy(), "http://echo.late.acip/");
        long goneMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(502, gone.status(), gone.out());
        assertTrue(gone.header("proxy-status").contains("destination_not_found"), gone.out());
        assertTrue(goneMs < 1000, "unreachable after " + goneMs + " ms");
    }

    /**
     * CATS metrics (docs/acip-v0.md §12.3): a session in flight at the far agent, one of its capacity of 4, reaches
     * the edge as LOAD 250 per mille with the origin's latency, and LOAD 0 once it ended.
     */
    @Test
    void theFarAgentsLoadAndLatencyReachTheEdge() throws Exception {
        awaitAtEdge(new SkillName("demo/echo"), true);
        HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1",
                edge.httpPorts()[0]))).build();
        CompletableFuture<HttpResponse<String>> stream = client.sendAsync(HttpRequest.newBuilder(
                URI.create("http://echo.demo.acip/sse?n=3&interval_ms=1500")).build(), BodyHandlers.ofString());
        edge.node().control().awaitRouteViews(views -> views.stream().anyMatch(v -> v.prefix().equals("demo/echo")
                && v.load() == 250 && v.latencyMs() >= 0)).get(10, TimeUnit.SECONDS);
        assertEquals(200, stream.get(20, TimeUnit.SECONDS).statusCode());
        edge.node().control().awaitRouteViews(views -> views.stream().anyMatch(v -> v.prefix().equals("demo/echo")
                && v.load() == 0)).get(10, TimeUnit.SECONDS);
        JsonNode echo = new ObjectMapper().readTree(Curl.run("http://127.0.0.1:" + edge.adminPort() + "/routes").out())
                .get("routes").get(0);
        assertEquals(0, echo.get("load").asInt(), echo.toString());
    }
}
