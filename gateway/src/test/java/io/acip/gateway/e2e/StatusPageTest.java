package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin status page as a person sees it: headless Chromium (Debian's) loads {@code GET /} from the edge and the
 * far gateway of a three-node fabric after some traffic, runs its script against the admin JSON, and the rendered
 * page names the node, its link and RTT, routes, agents and skills, exchanges by skill, a refusal and counters.
 * Screenshots go to {@code target/status-page-*.png}.
 */
class StatusPageTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    @TempDir
    static Path dir;
    static Fabric3 fabric;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "Debian's chromium (installed by .ci/test-deps)");
        fabric = new Fabric3(dir, List.of(), false);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fabric != null) fabric.close();
    }

    /** Chromium with what this machine needs (no sandbox as root, no background traffic), a fresh profile each run. */
    static String chromium(String url, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + profile, "--virtual-time-budget=5000"));
        cmd.addAll(List.of(extra));
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), out + Files.readString(dir.resolve("chromium.err")));
        return out;
    }

    /** The page's text as rendered: the DOM after its script ran, tags dropped. */
    static String rendered(int adminPort, String name) throws Exception {
        String url = "http://127.0.0.1:" + adminPort + "/";
        String dom = chromium(url, "--dump-dom");
        Path shot = Path.of("target", "status-page-" + name + ".png").toAbsolutePath();
        Files.createDirectories(shot.getParent());
        chromium(url, "--screenshot=" + shot, "--window-size=1280,1600", "--hide-scrollbars");
        assertTrue(Files.size(shot) > 10_000, "a screenshot: " + shot);
        return dom.replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ");
    }

    @Test
    void whatAPersonSeesOnTheEdgeAndTheFarGateway() throws Exception {
        String base = "http://127.0.0.1:" + fabric.http();
        for (int i = 0; i < 3; i++) assertEquals(200, Curl.run("-i", base + "/skills/demo/echo/page" + i).status());
        assertEquals(404, Curl.run("-i", base + "/no/skill/here").status());
        // Links PING every 5 s: the page shows "measuring" until the first answer; wait for it in the JSON.
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fabric.edge.adminPort() + "/status"))
                .build(), HttpResponse.BodyHandlers.ofString()).body().contains("\"rtt_ms\":null")) {
            assertTrue(System.nanoTime() < deadline, "no RTT within 15 s");
            Thread.sleep(100);
        }

        String edge = rendered(fabric.edge.adminPort(), "edge");
        assertTrue(edge.contains("Node edge"), edge);
        assertTrue(edge.matches(".*transit \\d+ ms.*"), "the link and its RTT: " + edge);
        assertTrue(edge.contains("demo static transit"), "the static route to demo: " + edge);
        assertTrue(edge.matches(".*demo/echo 0 [3-9] 0 [0-9.]+ ms.*"), "demo/echo: none in flight, 3 done: " + edge);
        assertTrue(edge.contains("404 destination_not_found GET 127.0.0.1:" + fabric.http() + "/no/skill/here"),
                "the refusal: " + edge);
        assertTrue(edge.contains("acip.session.opened"), "counters: " + edge);
        assertTrue(edge.contains("no agents attached"), edge);
        assertTrue(!edge.contains("could not read"), edge);

        String far = rendered(fabric.far.adminPort(), "far");
        assertTrue(far.contains("Node far"), far);
        assertTrue(far.contains("demo " + fabric.agents.uri()), "the agent and its origin: " + far);
        assertTrue(far.contains("demo/echo, demo/sse, demo/a2a, demo/mcp, plain/echo configuration"), far);
        assertTrue(far.matches(".*demo/echo 0 [3-9] 0 [0-9.]+ ms.*"), "delivered to the origin: " + far);
    }

    @Test
    void thePageIsBehindTheGateAndLoadsOnlyItself() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + fabric.edge.adminPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-security-policy").orElse("").contains("script-src 'self'"));
        // A web page elsewhere cannot read it through a visitor's browser: the gate refuses foreign origins.
        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + fabric.edge.adminPort() + "/status")).header("Origin", "https://evil.example").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, foreign.statusCode(), foreign.body());
    }
}
