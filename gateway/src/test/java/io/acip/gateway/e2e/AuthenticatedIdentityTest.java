package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity the edge's authentication established is the one the origin hears about (docs/security.md): here
 * agent and skill share one gateway, which vouches for its own sessions without a signature.
 */
class AuthenticatedIdentityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static AuthEdge edge;

    @BeforeAll
    static void start() throws Exception {
        edge = new AuthEdge(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        edge.close();
    }

    private static JsonNode originSaw(String... args) throws Exception {
        Curl.Result r = Curl.run(args);
        assertEquals(200, r.status(), r.out() + r.err());
        return JSON.readTree(r.body()).get("headers");
    }

    @Test
    void anApiKeyCallerReachesTheOriginAsItsAttestedIdentity() throws Exception {
        JsonNode h = originSaw("-i", "-H", "Authorization: Bearer " + AuthEdge.CI_KEY, "-H", "acip-initiator: apikey:root",
                "http://127.0.0.1:" + edge.http() + "/skills/demo/echo/x");
        assertEquals("apikey:ci-bot", h.get("acip-initiator").asText(), h.toString());
        assertEquals("ci", h.get("acip-initiator-groups").asText());
        assertEquals("edge", h.get("acip-attested-by").asText());
    }

    @Test
    void aProxyCredentialWorksTheSame() throws Exception {
        JsonNode h = originSaw("-i", "-x", "http://127.0.0.1:" + edge.http(), "-U", "ci-bot:" + AuthEdge.CI_KEY,
                "http://echo.demo.acip/y");
        assertEquals("apikey:ci-bot", h.get("acip-initiator").asText(), h.toString());
    }

    @Test
    void anAnonymousCallerIsNotAttested() throws Exception {
        JsonNode h = originSaw("-i", "-H", "acip-initiator: apikey:ci-bot", "-H", "acip-attested-by: edge",
                "http://127.0.0.1:" + edge.http() + "/skills/demo/open/z");
        assertNull(h.get("acip-initiator"), h.toString());
        assertNull(h.get("acip-attested-by"));
    }
}
