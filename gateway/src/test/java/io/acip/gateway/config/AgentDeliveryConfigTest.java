package io.acip.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code agents[].card_path}, {@code host_header}, {@code x_forwarded} and {@code http.stream_idle_timeout}. */
class AgentDeliveryConfigTest {
    private static final String DOC = """
            node: {id: far}
            http: {listen: 127.0.0.1:0%s}
            agents:
              - name: a
                origin: http://127.0.0.1:9001
                skills: [{name: demo/a2a, path: /a2a}]
            %s""";

    private static GatewayConfig parse(String http, String agentLines) throws ConfigException {
        return ConfigLoader.parse(String.format(DOC, http, agentLines.isEmpty() ? "" : "    " + agentLines
                .replace("\n", "\n    ")));
    }

    private static String refused(String http, String agentLines) {
        return assertThrows(ConfigException.class, () -> parse(http, agentLines)).getMessage();
    }

    @Test
    void defaults() throws Exception {
        GatewayConfig c = parse("", "");
        assertNull(c.agents().get(0).cardPath());
        assertEquals("origin", c.agents().get(0).hostHeader());
        assertEquals(false, c.agents().get(0).xForwarded());
        assertNull(c.http().streamIdleTimeout());
    }

    @Test
    void acceptedValues() throws Exception {
        GatewayConfig c = parse(", stream_idle_timeout: 10m",
                "card_path: /a2a/.well-known/agent-card.json\nhost_header: preserve\nx_forwarded: true");
        assertEquals("/a2a/.well-known/agent-card.json", c.agents().get(0).cardPath());
        assertEquals("preserve", c.agents().get(0).hostHeader());
        assertEquals(true, c.agents().get(0).xForwarded());
        assertEquals("10m", c.http().streamIdleTimeout());
    }

    @Test
    void refusalsNameTheField() {
        assertTrue(refused("", "card_path: card.json").startsWith("agents[0].card_path: "));
        assertTrue(refused("", "host_header: upstream").startsWith("agents[0].host_header: 'upstream' is neither"));
        assertTrue(refused("", "host_header: preserve\nh2c: true").startsWith("agents[0].host_header: preserve needs"));
        assertTrue(refused(", stream_idle_timeout: soon", "").startsWith("http.stream_idle_timeout: "));
    }
}
