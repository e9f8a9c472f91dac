package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A2A discovery through three nodes with curl: the skill's card at its base's well-known paths by every mapping form,
 * its URLs rewritten to the base the agent used, then a call to that URL going through the gateway again.
 */
class AgentDiscoveryTest {
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

    private static JsonNode card(String expectedBase, String... curl) throws Exception {
        Curl.Result r = Curl.run(curl);
        assertEquals(200, r.status(), r.out() + r.err());
        assertEquals("edge,transit,far", r.header("acip-trajectory"));
        assertEquals(null, r.header("acip-agent-base"));
        assertEquals(Integer.toString(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
                r.header("content-length"));
        JsonNode card = JSON.readTree(r.body());
        assertEquals(expectedBase, card.get("url").asText(), r.body());
        assertEquals(expectedBase, card.at("/additionalInterfaces/0/url").asText());
        assertEquals("echo", card.at("/skills/0/id").asText(), "the rest passes as the agent wrote it");
        return card;
    }

    @Test
    void byPath() throws Exception {
        String base = "http://127.0.0.1:" + fabric.http() + "/skills/demo/a2a";
        card(base, "-i", base + "/.well-known/agent-card.json");
        card(base, "-i", base + "/.well-known/agent.json");
    }

    @Test
    void byHost() throws Exception {
        card("http://a2a.demo.acip", "-i", "-H", "Host: a2a.demo.acip", "http://127.0.0.1:" + fabric.http()
                + "/.well-known/agent-card.json");
    }

    @Test
    void asForwardProxyAndThroughAnInterceptedTunnel() throws Exception {
        card("http://a2a.demo.acip", "-i", "-x", fabric.proxy(), "http://a2a.demo.acip/.well-known/agent-card.json");
        card("https://a2a.demo.acip", "-i", "--suppress-connect-headers", "-x", fabric.proxy(), "--cacert", fabric.caPem.toString(),
                "https://a2a.demo.acip/.well-known/agent.json");
        // curl -p, like Node's undici, tunnels http:// URLs through CONNECT: plaintext inside is served too.
        card("http://a2a.demo.acip", "-i", "--suppress-connect-headers", "-p", "-x", fabric.proxy(),
                "http://a2a.demo.acip/.well-known/agent-card.json");
    }

    @Test
    void theRewrittenUrlReachesTheAgentThroughTheGateway() throws Exception {
        String base = "http://127.0.0.1:" + fabric.http() + "/skills/demo/a2a";
        String url = card(base, "-i", base + "/.well-known/agent-card.json").get("url").asText();
        Curl.Result r = Curl.run("-i", "-H", "content-type: application/json", "--data",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"message/send\",\"params\":{\"message\":{\"kind\":\"message\","
                        + "\"role\":\"user\",\"messageId\":\"m1\",\"parts\":[{\"kind\":\"text\",\"text\":\"hi\"}]}}}",
                url);
        assertEquals(200, r.status(), r.out() + r.err());
        assertEquals("edge,transit,far", r.header("acip-trajectory"));
        assertTrue(r.body().contains("\"text\":\"hi\""), r.body());
    }

    @Test
    void conditionalRequestsAreAnswered304() throws Exception {
        String uri = "http://127.0.0.1:" + fabric.http() + "/skills/demo/a2a/.well-known/agent-card.json";
        Curl.Result r = Curl.run("-i", "-H", "If-None-Match: *", uri);
        assertEquals(304, r.status(), r.out() + r.err());
    }
}
