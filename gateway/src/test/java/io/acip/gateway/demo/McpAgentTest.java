package io.acip.gateway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class McpAgentTest extends RunningDemoAgents {
    private static final String ACCEPT_BOTH = "application/json, text/event-stream";
    private String session;

    @BeforeEach
    void initialize() throws Exception {
        HttpResponse<String> r = client.postJson("/mcp", """
                {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-03-26",
                 "capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""", "Accept", ACCEPT_BOTH);

        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        session = r.headers().firstValue(McpAgent.SESSION_HEADER).orElseThrow();
        assertTrue(session.chars().allMatch(c -> c >= 0x21 && c <= 0x7E), "visible ASCII only (MCP transports)");
        JsonNode result = DemoClient.json(r).get("result");
        assertEquals(McpAgent.PROTOCOL_VERSION, result.get("protocolVersion").asText());
        assertEquals("acip-demo-mcp", result.get("serverInfo").get("name").asText());
        assertFalse(result.get("capabilities").get("tools").get("listChanged").asBoolean());

        HttpResponse<String> initialized = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertEquals(202, initialized.statusCode());
        assertEquals("", initialized.body());
    }

    private HttpResponse<String> post(String json) throws Exception {
        return client.postJson("/mcp", json, "Accept", ACCEPT_BOTH, McpAgent.SESSION_HEADER, session);
    }

    @Test
    void listsTheEchoTool() throws Exception {
        JsonNode tools = DemoClient.json(post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}"))
                .get("result").get("tools");
        assertEquals(1, tools.size());
        assertEquals("echo", tools.get(0).get("name").asText());
        assertEquals("string", tools.get(0).get("inputSchema").get("properties").get("text").get("type").asText());
    }

    @Test
    void callsTheEchoTool() throws Exception {
        HttpResponse<String> r = post("""
                {"jsonrpc":"2.0","id":"c1","method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}""");

        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        JsonNode result = DemoClient.json(r).get("result");
        assertEquals("hi", result.get("content").get(0).get("text").asText());
        assertEquals("text", result.get("content").get(0).get("type").asText());
        assertFalse(result.get("isError").asBoolean());
    }

    @Test
    void streamsProgressThenTheAnswerWhenAsked() throws Exception {
        HttpResponse<String> r = post("""
                {"jsonrpc":"2.0","id":5,"method":"tools/call",
                 "params":{"name":"echo","arguments":{"text":"streamed"},"_meta":{"progressToken":"p-1"}}}""");

        assertEquals("text/event-stream", r.headers().firstValue("content-type").orElseThrow());
        String[] events = r.body().split("\n\n");
        assertEquals(2, events.length);
        JsonNode progress = DemoClient.JSON.readTree(events[0].substring("data: ".length()));
        assertEquals("notifications/progress", progress.get("method").asText());
        assertEquals("p-1", progress.get("params").get("progressToken").asText());
        JsonNode answer = DemoClient.JSON.readTree(events[1].substring("data: ".length()));
        assertEquals(5, answer.get("id").asInt());
        assertEquals("streamed", answer.get("result").get("content").get(0).get("text").asText());
    }

    @Test
    void progressWithoutSseAcceptedIsPlainJson() throws Exception {
        HttpResponse<String> r = client.postJson("/mcp", """
                {"jsonrpc":"2.0","id":6,"method":"ping","params":{"_meta":{"progressToken":1}}}""",
                "Accept", "application/json", McpAgent.SESSION_HEADER, session);
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        assertTrue(DemoClient.json(r).get("result").isObject());
    }

    @Test
    void answersBatches() throws Exception {
        JsonNode answers = DemoClient.json(post("""
                [{"jsonrpc":"2.0","id":1,"method":"ping"},
                 {"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":0}},
                 {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"nope","arguments":{}}}]"""));
        assertTrue(answers.isArray());
        assertEquals(2, answers.size());
        assertEquals(1, answers.get(0).get("id").asInt());
        assertEquals(-32602, answers.get(1).get("error").get("code").asInt());
    }

    @Test
    void sessionsAreRequiredAndEnd() throws Exception {
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
        assertEquals(400, client.postJson("/mcp", ping, "Accept", ACCEPT_BOTH).statusCode());
        assertEquals(404, client.postJson("/mcp", ping, "Accept", ACCEPT_BOTH, McpAgent.SESSION_HEADER, "nope")
                .statusCode());

        HttpResponse<String> delete = client.send(client.request("/mcp").header(McpAgent.SESSION_HEADER, session)
                .DELETE().build());
        assertEquals(204, delete.statusCode());
        assertEquals(404, post(ping).statusCode(), "an ended session is gone");
    }

    @Test
    void offersNoGetStream() throws Exception {
        HttpResponse<String> r = client.send(client.request("/mcp").header("Accept", "text/event-stream")
                .header(McpAgent.SESSION_HEADER, session).GET().build());
        assertEquals(405, r.statusCode());
    }

    @Test
    void unknownMethodsAreJsonRpcErrors() throws Exception {
        JsonNode answer = DemoClient.json(post("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"resources/list\"}"));
        assertEquals(-32601, answer.get("error").get("code").asInt());
    }
}
