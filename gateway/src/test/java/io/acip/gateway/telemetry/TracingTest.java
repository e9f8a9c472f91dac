package io.acip.gateway.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.acip.gateway.Gateway;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.demo.DemoAgents;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace across edge, transit and far, exported over OTLP/HTTP to a collector in the test: curl sends a request
 * with its own {@code traceparent}; every node's spans join that trace (the edge's request and session, the transit's
 * SETUP, the far gateway's SETUP, delivery and origin request), and the origin receives a {@code traceparent} of it.
 */
class TracingTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    @TempDir
    static Path dir;
    static OtlpCollector collector;
    static DemoAgents agents;
    static final List<AutoCloseable> parts = new ArrayList<>();
    static Gateway edge;

    @BeforeAll
    static void start() throws Exception {
        collector = new OtlpCollector();
        parts.add(collector);
        agents = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0));
        parts.add(agents);
        String ca = dir.resolve("ca").toString();
        GatewayConfig.Telemetry telemetry = new GatewayConfig.Telemetry(collector.endpoint(), 1.0);
        Gateway transit = start(new GatewayConfig(node("transit", "127.0.0.1:0", ca, List.of(), List.of(
                new GatewayConfig.Route("demo", "far", 0L, 0, 1, "", Map.of()))), null, null, List.of(), null, null,
                null, null, null, null, null, telemetry));
        String at = "127.0.0.1:" + transit.node().linkAddress().getPort();
        Gateway far = start(new GatewayConfig(node("far", null, ca, List.of(new GatewayConfig.Neighbour("transit", at)),
                List.of()), null, null, List.of(new GatewayConfig.Agent("demo", agents.uri().toString(), false, false,
                List.of(new GatewayConfig.AgentSkill("demo/echo", "", "", Map.of())))), null, null, null, null, null,
                null, null, telemetry));
        edge = start(new GatewayConfig(node("edge", null, ca, List.of(new GatewayConfig.Neighbour("transit", at)),
                List.of(new GatewayConfig.Route("demo", "transit", 0L, 0, 1, "", Map.of()))),
                new GatewayConfig.Http("edge", "127.0.0.1:0", null, null, null, null, null, List.of(),
                        List.of("demo/echo"), List.of(), "5s"), null, List.of(), null, null, null, null, null, null,
                null, telemetry));
        edge.node().linkReady("transit").get(20, TimeUnit.SECONDS);
        far.node().linkReady("transit").get(20, TimeUnit.SECONDS);
        transit.node().linkReady("far").get(20, TimeUnit.SECONDS);
    }

    static GatewayConfig.Node node(String id, String listen, String ca, List<GatewayConfig.Neighbour> n,
                                   List<GatewayConfig.Route> routes) {
        return new GatewayConfig.Node(id, listen, null, ca, n, routes, null, null);
    }

    static Gateway start(GatewayConfig c) throws Exception {
        Gateway g = Gateway.start(c);
        parts.add(g);
        return g;
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = parts.size() - 1; i >= 0; i--) parts.get(i).close();
    }

    @Test
    void oneTraceWithSpansFromThreeNodesAndTheOriginInIt() throws Exception {
        String agentSpan = "00f067aa0ba902b7";
        Process curl = new ProcessBuilder("/usr/bin/curl", "-sS", "--max-time", "30", "-H", "traceparent: 00-" + TRACE
                + "-" + agentSpan + "-01", "http://127.0.0.1:" + edge.httpPorts()[0] + "/skills/demo/echo/traced")
                .start();
        String body = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(40, TimeUnit.SECONDS));
        JsonNode echoed = new ObjectMapper().readTree(body);
        String atOrigin = echoed.get("headers").get("traceparent").asText();
        assertTrue(atOrigin.startsWith("00-" + TRACE + "-"), "the origin is in the agent's trace: " + atOrigin);

        // Spans leave in batches (200 ms); wait for the far gateway's origin span, the last to end.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Set<String> nodes;
        while (true) {
            List<OtlpCollector.Span> inTrace = collector.spans.stream().filter(s -> s.traceId().equals(TRACE)).toList();
            nodes = inTrace.stream().map(OtlpCollector.Span::node).collect(Collectors.toSet());
            Set<String> names = inTrace.stream().map(s -> s.node() + " " + s.name()).collect(Collectors.toSet());
            if (names.containsAll(Set.of("edge GET demo/echo", "edge acip.session demo/echo",
                    "transit acip.setup demo/echo", "far acip.setup demo/echo", "far acip.delivery demo/echo",
                    "far GET origin"))) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "spans so far: " + names + " / all: " + collector.spans);
            Thread.sleep(50);
        }
        assertEquals(Set.of("edge", "transit", "far"), nodes);
        List<OtlpCollector.Span> spans = collector.spans.stream().filter(s -> s.traceId().equals(TRACE)).toList();
        OtlpCollector.Span request = find(spans, "edge", "GET demo/echo");
        assertEquals(agentSpan, request.parentId(), "the edge's span is a child of the agent's");
        OtlpCollector.Span session = find(spans, "edge", "acip.session demo/echo");
        assertEquals(request.spanId(), session.parentId());
        assertEquals(session.spanId(), find(spans, "transit", "acip.setup demo/echo").parentId(),
                "transit's SETUP span is a child of the session, by the SETUP's TRACEPARENT TLV");
        OtlpCollector.Span delivery = find(spans, "far", "acip.delivery demo/echo");
        assertEquals(session.spanId(), delivery.parentId());
        OtlpCollector.Span origin = find(spans, "far", "GET origin");
        assertEquals(delivery.spanId(), origin.parentId());
        assertTrue(atOrigin.contains("-" + origin.spanId() + "-"), "the origin's traceparent names the origin span");
    }

    private static OtlpCollector.Span find(List<OtlpCollector.Span> spans, String node, String name) {
        return spans.stream().filter(s -> s.node().equals(node) && s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(node + " " + name + " in " + spans));
    }
}
