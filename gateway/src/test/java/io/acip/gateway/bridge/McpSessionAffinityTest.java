package io.acip.gateway.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.bhttp.Fields;
import io.acip.wire.TlvType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The MCP session envelope: a key drawn for the opening request, carried by the session ID the agent keeps. */
class McpSessionAffinityTest {
    private static final String SSE = "application/json, text/event-stream";

    @Test
    void aRequestThatMayOpenASessionGetsAKeyAndItsMintedIdAnEnvelope() {
        McpSessionAffinity.Affinity a = McpSessionAffinity.of("POST", Fields.of("accept", SSE));
        String key = a.key().orElseThrow();
        assertEquals(TlvType.AFFINITY_KEY, a.tlv().orElseThrow().type());
        Fields response = a.response(Fields.of("content-type", "application/json", "mcp-session-id", "abc.1"));
        String enveloped = response.first("mcp-session-id").orElseThrow();
        assertEquals("acip." + key + ".abc.1", enveloped);

        McpSessionAffinity.Affinity later = McpSessionAffinity.of("DELETE", Fields.of("mcp-session-id", enveloped));
        assertEquals(key, later.key().orElseThrow(), "the session's requests carry the opening request's key");
        assertEquals("abc.1", later.headers().first("mcp-session-id").orElseThrow(), "the origin sees its own ID");
        assertArrayEquals(key.getBytes(StandardCharsets.UTF_8), later.tlv().orElseThrow().value());
        assertEquals(enveloped, later.response(Fields.of("mcp-session-id", "abc.1")).first("mcp-session-id")
                .orElseThrow(), "a repeated ID goes back in the same envelope");
    }

    @Test
    void anIdInNoEnvelopeGivesAStableKeyThatIsNotTheId() {
        McpSessionAffinity.Affinity a = McpSessionAffinity.of("GET", Fields.of("mcp-session-id", "plain-id"));
        String key = a.key().orElseThrow();
        assertTrue(!key.contains("plain-id"), "the session ID never travels in clear: " + key);
        assertEquals(key, McpSessionAffinity.of("DELETE", Fields.of("mcp-session-id", "plain-id")).key().orElseThrow());
        assertEquals("plain-id", a.headers().first("mcp-session-id").orElseThrow());
        assertTrue(McpSessionAffinity.open("acip.short.x").isEmpty());
        assertTrue(McpSessionAffinity.open("acip.AAAAAAAAAAAAAAAAAAAAA!.x").isEmpty());
    }

    @Test
    void requestsOutsideSessionsSpreadAsBefore() {
        assertTrue(McpSessionAffinity.of("GET", Fields.of("accept", "text/event-stream")).key().isEmpty());
        assertTrue(McpSessionAffinity.of("POST", Fields.of("accept", "application/json")).key().isEmpty());
        String k1 = McpSessionAffinity.of("POST", Fields.of("accept", SSE)).key().orElseThrow();
        String k2 = McpSessionAffinity.of("POST", Fields.of("accept", SSE)).key().orElseThrow();
        assertTrue(!k1.equals(k2), "each opening request draws its own key");
    }
}
