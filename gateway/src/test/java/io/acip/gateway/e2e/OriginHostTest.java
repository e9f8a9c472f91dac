package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.acip.gateway.AgentAttachment;
import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.AgentSkill;
import io.acip.gateway.origin.OriginConfig;
import io.acip.wire.SkillName;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code agents[].host_header} and {@code x_forwarded}: by default the origin sees its own authority; with
 * {@code preserve} the one the agent used, and with {@code x_forwarded} that authority and scheme in
 * {@code X-Forwarded-Host} / {@code -Proto} (replacing any the agent sent), over HTTP/1.1 and h2c to the origin.
 */
class OriginHostTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Fabric3 fabric;

    @BeforeAll
    static void start() throws Exception {
        fabric = new Fabric3(dir, List.of(), false);
        for (boolean h2c : new boolean[] {false, true}) {
            String name = h2c ? "test/preserve-h2c" : "test/preserve";
            fabric.far.agents().attach(new AgentRegistration(name.replace('/', '-'), fabric.agents.uri(),
                    Optional.empty(), List.of(AgentSkill.of(new SkillName(name)))),
                    new AgentAttachment.Delivery(h2c, null, h2c ? OriginConfig.HostHeader.ORIGIN
                            : OriginConfig.HostHeader.PRESERVE, true));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        fabric.close();
    }

    private static JsonNode echoed(String host) throws Exception {
        Curl.Result r = Curl.run("-s", "-H", "Host: " + host, "-H", "X-Forwarded-Host: spoofed.example",
                "http://127.0.0.1:" + fabric.http() + "/h");
        return JSON.readTree(r.out()).get("headers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"preserve.test.acip", "preserve-h2c.test.acip"})
    void preserveSendsTheAgentsAuthorityAndForwardedFields(String host) throws Exception {
        JsonNode h = echoed(host);
        if (!host.contains("h2c")) assertEquals(host, h.get("host").asText(), h.toString()); // h2c: x_forwarded only
        assertEquals(host, h.get("x-forwarded-host").asText(), h.toString());
        assertEquals("http", h.get("x-forwarded-proto").asText(), h.toString());
    }

    @org.junit.jupiter.api.Test
    void theDefaultIsTheOriginsOwnAuthority() throws Exception {
        JsonNode h = echoed("echo.demo.acip");
        assertEquals("127.0.0.1:" + fabric.agents.port(), h.get("host").asText(), h.toString());
        assertTrue(h.get("x-forwarded-host").asText().equals("spoofed.example"), "passed on as the agent sent it");
    }
}
