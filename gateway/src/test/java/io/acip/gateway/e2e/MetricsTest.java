package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.config.GatewayConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} as Prometheus scrapes it, after traffic sent by curl over HTTP/1.1 and h2c: labelled request
 * counters, per-skill timers with histograms at the edge and at the far gateway, session setup and link RTT timers,
 * gauges, the JVM's, Netty's and Jetty's meters, the node's dotted counters with their families as labels, and the
 * {@code other} bucket past the skill limit.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class MetricsTest {
    @TempDir
    static Path dir;
    static Fabric3 fabric;
    /** An edge alone, with more skills mapped than get timers of their own, and no route to any of them. */
    static io.acip.gateway.Gateway lonely;
    static final int SKILLS = 120;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        fabric = new Fabric3(dir, List.of(), false);
        List<String> skills = java.util.stream.IntStream.range(0, SKILLS).mapToObj(i -> "gone/" + i).toList();
        lonely = io.acip.gateway.Gateway.start(new GatewayConfig(new GatewayConfig.Node("lonely", null, null,
                dir.resolve("ca").toString(), List.of(), List.of(), null, null),
                new GatewayConfig.Http("lonely", "127.0.0.1:0", null, null, null, null, null, List.of(), skills,
                        List.of(), "5s"), null, List.of(), new GatewayConfig.Admin("127.0.0.1:0")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (lonely != null) lonely.close();
        if (fabric != null) fabric.close();
    }

    static String scrape(int adminPort) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** The value of the sample {@code name{labels}} ({@code labels} as they print, in order), or -1 if absent. */
    static double sample(String text, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + (labels.isEmpty() ? "" : "{" + labels + "}"))
                + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void requestsAreCountedAndTimedBySkillProtocolAndStatus() throws Exception {
        String base = "http://127.0.0.1:" + fabric.http() + "/skills/demo/echo/";
        for (int i = 0; i < 3; i++) assertEquals(200, Curl.run("-i", base + "m" + i).status());
        assertEquals(200, Curl.run("-i", "--http2-prior-knowledge", base + "h2c").status());
        assertEquals(404, Curl.run("-i", "http://127.0.0.1:" + fabric.http() + "/nowhere").status());

        String edge = scrape(fabric.edge.adminPort());
        assertTrue(sample(edge, "gateway_request_total", "outcome=\"skill\",protocol=\"h11\"") >= 3, edge);
        assertTrue(sample(edge, "gateway_request_total", "outcome=\"skill\",protocol=\"h2\"") >= 1, edge);
        assertTrue(sample(edge, "gateway_request_total", "outcome=\"unmapped\",protocol=\"h11\"") >= 1, edge);
        assertTrue(sample(edge, "gateway_request_duration_seconds_count", "skill=\"demo/echo\",status=\"2xx\"") >= 4,
                edge);
        assertTrue(edge.contains("gateway_request_duration_seconds_bucket{skill=\"demo/echo\",status=\"2xx\",le=\""),
                "a histogram, not only a count");
        assertTrue(sample(edge, "acip_session_setup_seconds_count", "handshake=\"full\"")
                + sample(edge, "acip_session_setup_seconds_count", "handshake=\"resumed\"") >= 1, edge);
        // One agent, one after another: its exchanges ride one pooled session (docs/acip-v0.md §13), unless a route
        // update between two of them (the far side's load metric) moved the next one to a new session.
        assertTrue(sample(edge, "gateway_pool_reused_total", "")
                + Math.max(0, sample(edge, "gateway_pool_rerouted_total", "")) >= 3, edge); // counted once it happens
        assertTrue(sample(edge, "gateway_pool_reused_total", "") >= 2, edge);
        assertEquals(0, sample(edge, "gateway_exchanges_active", ""), edge);
        assertEquals(1, sample(edge, "acip_links", ""), edge);
        // The node's own counters keep their names; families whose last segment varies become labels.
        assertTrue(sample(edge, "acip_session_opened_total", "") >= 1, edge);
        assertTrue(edge.contains("jvm_memory_used_bytes{"), "JVM meters");
        assertTrue(edge.contains("jetty_threads_current"), "Jetty's thread pool");
        assertTrue(edge.contains("netty_allocator_memory_used{"), "Netty's allocator");

        String far = scrape(fabric.far.adminPort());
        assertTrue(sample(far, "gateway_origin_duration_seconds_count", "skill=\"demo/echo\",status=\"2xx\"") >= 4,
                far);
        assertTrue(sample(far, "acip_session_delivered_total", "") >= 1, far);
    }

    @Test
    void resetsAreOneCounterLabelledByCode() throws Exception {
        // A mapped skill with no route: the edge's node refuses the session itself (skill_unreachable).
        Curl.Result r = Curl.run("-i", "http://127.0.0.1:" + lonely.httpPorts()[0] + "/skills/gone/0/x");
        assertEquals(502, r.status(), r.out());
        String text = scrape(lonely.adminPort());
        assertTrue(sample(text, "acip_reset_sent_total", "code=\"skill_unreachable\"") >= 1, text);
        assertTrue(sample(text, "gateway_request_duration_seconds_count", "skill=\"gone/0\",status=\"5xx\"") >= 1,
                text);
    }

    @Test
    void linkRoundTripsAreTimedPerNeighbour() throws Exception {
        // Links PING every 5 s (LinkConfig.DEFAULT): wait for the first answer rather than for a fixed time.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String text;
        while (sample(text = scrape(fabric.edge.adminPort()), "acip_link_rtt_seconds_count", "neighbour=\"transit\"")
                < 1) {
            assertTrue(System.nanoTime() < deadline, "no link RTT within 15 s: " + text);
            Thread.sleep(100);
        }
        assertTrue(text.contains("acip_link_rtt_seconds_bucket{neighbour=\"transit\",le=\""), text);
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // after the others, whose skills must still have meters of their own
    void skillsPastTheLimitShareTheOtherBucket() throws Exception {
        String base = "http://127.0.0.1:" + lonely.httpPorts()[0] + "/skills/gone/";
        for (int i = 0; i < SKILLS; i++) {
            assertEquals(502, Curl.run("-i", base + i + "/x").status());
        }
        String text = scrape(lonely.adminPort());
        Matcher m = Pattern.compile("(?m)^gateway_request_duration_seconds_count\\{skill=\"([^\"]+)\",status=\"5xx\"} (\\S+)")
                .matcher(text);
        java.util.Map<String, Double> counts = new java.util.HashMap<>();
        while (m.find()) counts.put(m.group(1), Double.parseDouble(m.group(2)));
        assertEquals(101, counts.size(), "100 skills and other: " + counts.keySet());
        assertEquals(SKILLS - 100, counts.get("other"), "each skill past the 100th counted under other");
        assertEquals(2, counts.get("gone/0"), "a skill with its own timer keeps it");
    }
}
