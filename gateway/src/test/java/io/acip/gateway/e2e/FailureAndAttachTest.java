package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.acip.gateway.config.GatewayConfig;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Origins that are down or slow, and agents attached from an A2A Agent Card or at run time. */
class FailureAndAttachTest {
    @TempDir
    static Path dir;
    static Fabric3 fabric;
    /** Accepts connections and never answers: the slow origin. */
    static ServerSocket silent;
    /** Answers with one server-sent event, then holds the stream open until the test releases it. */
    static ServerSocket held;
    static final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

    @BeforeAll
    static void start() throws Exception {
        silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        held = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread origin = new Thread(FailureAndAttachTest::serveHeldStream, "held-origin");
        origin.setDaemon(true);
        origin.start();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        fabric = new Fabric3(dir, List.of(
                new GatewayConfig.Agent("down", "http://127.0.0.1:" + closedPort, false, false,
                        List.of(Fabric3.skill("test/down", ""))),
                new GatewayConfig.Agent("slow", "http://127.0.0.1:" + silent.getLocalPort(), false, false,
                        List.of(Fabric3.skill("test/slow", ""))),
                new GatewayConfig.Agent("held", "http://127.0.0.1:" + held.getLocalPort(), false, false,
                        List.of(Fabric3.skill("test/held", "")))), false);
    }

    @AfterAll
    static void stop() throws Exception {
        release.countDown();
        fabric.close();
        silent.close();
        held.close();
    }

    /** A minimal HTTP/1.1 origin: one chunked event stream per connection, the second event after the latch. */
    private static void serveHeldStream() {
        while (!held.isClosed()) {
            try (java.net.Socket s = held.accept()) {
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                        java.nio.charset.StandardCharsets.US_ASCII));
                for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                    // request head, ignored
                }
                var out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + chunk("data: first\n\n")).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
                release.await();
                out.write((chunk("data: second\n\n") + "0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
            } catch (Exception e) {
                return;
            }
        }
    }

    private static String chunk(String s) {
        return Integer.toHexString(s.length()) + "\r\n" + s + "\r\n";
    }

    @Test
    void firstEventArrivesWhileTheOriginStillHoldsTheStream() throws Exception {
        var client = java.net.http.HttpClient.newBuilder()
                .proxy(java.net.ProxySelector.of(new java.net.InetSocketAddress("127.0.0.1", fabric.http()))).build();
        var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://held.test.acip/events"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
        var lines = response.body().iterator();
        assertEquals("data: first", lines.next()); // the origin has not sent the second event yet
        release.countDown();
        assertEquals("", lines.next());
        assertEquals("data: second", lines.next());
    }

    @Test
    void originDownIsA502FromTheFarGateway() throws Exception {
        Curl.Result r = Curl.run("-i", "-x", fabric.proxy(), "http://down.test.acip/");
        assertEquals(502, r.status(), r.out() + r.err());
        String ps = r.header("proxy-status");
        assertTrue(ps.startsWith("far") && ps.contains("error=connection_refused"), ps);
        assertEquals("edge,transit,far", r.header("acip-trajectory"));
    }

    @Test
    void slowOriginIsA504() throws Exception {
        Curl.Result r = Curl.run("-i", "-x", fabric.proxy(), "http://slow.test.acip/");
        assertEquals(504, r.status(), r.out() + r.err());
        assertTrue(r.header("proxy-status").contains("error=http_response_timeout"), r.out());
    }

    @Test
    void agentCardSkillsBecomeRoutes() throws Exception {
        // The demo agents publish an A2A 0.3 card; attaching it at run time through the far node's admin API is
        // the agent-attachment path, its skills appear under the agent's name.
        Curl.Result card = Curl.run(fabric.agents.uri() + "/.well-known/agent-card.json");
        String skillId = new ObjectMapper().readTree(card.out()).get("skills").get(0).get("id").asText();
        String doc = "{\"agent\":\"test\",\"origin\":\"" + fabric.agents.uri() + "/a2a\",\"skills\":[{\"name\":\"test/"
                + skillId.toLowerCase().replaceAll("[^a-z0-9_-]+", "-") + "\"}]}";
        Curl.Result attached = Curl.run("-i", "-H", "Content-Type: application/json", "--data-binary", doc,
                "http://127.0.0.1:" + fabric.far.adminPort() + "/agents");
        assertEquals(201, attached.status(), attached.out() + attached.err());
        String host = skillId.toLowerCase().replaceAll("[^a-z0-9_-]+", "-") + ".test.acip";
        String send = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"message/send\",\"params\":{\"message\":{\"role\":\"user\","
                + "\"parts\":[{\"kind\":\"text\",\"text\":\"via card\"}],\"messageId\":\"m7\",\"kind\":\"message\"}}}";
        Curl.Result r = Curl.run("-x", fabric.proxy(), "-H", "Content-Type: application/json", "--data-binary", send,
                "http://" + host + "/");
        assertTrue(r.out().contains("via card"), r.out() + r.err());
    }

    @Test
    void agentCardFromConfigurationIsFetchedAtStart() throws Exception {
        try (var far2 = io.acip.gateway.Gateway.start(new GatewayConfig(
                Fabric3.node("far2", null, dir.resolve("ca").toString(), List.of(), List.of()), null, null,
                List.of(new GatewayConfig.Agent("cards", fabric.agents.uri().toString(), false, true, List.of())),
                null))) {
            var routes = far2.node().routes().snapshot().get(0L);
            assertTrue(routes != null && routes.stream().anyMatch(r -> r.prefix().value().startsWith("cards/")),
                    String.valueOf(routes));
        }
    }
}
