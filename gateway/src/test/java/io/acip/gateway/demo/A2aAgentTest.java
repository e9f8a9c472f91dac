package io.acip.gateway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class A2aAgentTest extends RunningDemoAgents {
    private static final String MESSAGE = """
            {"role":"user","messageId":"m-1","contextId":"c-9",
             "parts":[{"kind":"text","text":"hello agent"},{"kind":"data","data":{"n":1}}]}""";
    private static String call(Object id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    @Test
    void messageSendEchoesTheMessage() throws Exception {
        HttpResponse<String> r = client.postJson("/a2a", call(7, "message/send", "{\"message\":" + MESSAGE + "}"));

        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        JsonNode answer = DemoClient.json(r);
        assertEquals("2.0", answer.get("jsonrpc").asText());
        assertEquals(7, answer.get("id").asInt());
        JsonNode result = answer.get("result");
        assertEquals("message", result.get("kind").asText());
        assertEquals("agent", result.get("role").asText());
        assertEquals("c-9", result.get("contextId").asText());
        assertEquals(DemoClient.JSON.readTree(MESSAGE).get("parts"), result.get("parts"));
        assertFalse(result.get("messageId").asText().equals("m-1"), "the answer is a new message");
    }

    @Test
    void messageStreamSendsTaskStatusThenTheEcho() throws Exception {
        HttpResponse<String> r = client.postJson("/a2a",
                call("\"s-1\"", "message/stream", "{\"message\":" + MESSAGE + "}"));

        assertEquals(200, r.statusCode());
        assertEquals("text/event-stream", r.headers().firstValue("content-type").orElseThrow());
        List<JsonNode> events = new ArrayList<>();
        for (String event : r.body().split("\n\n")) {
            assertTrue(event.startsWith("data: "), event);
            events.add(DemoClient.JSON.readTree(event.substring("data: ".length())));
        }
        assertEquals(3, events.size());
        events.forEach(e -> assertEquals("s-1", e.get("id").asText()));
        JsonNode task = events.get(0).get("result");
        assertEquals("task", task.get("kind").asText());
        assertEquals("submitted", task.get("status").get("state").asText());
        String taskId = task.get("id").asText();
        JsonNode working = events.get(1).get("result");
        assertEquals("status-update", working.get("kind").asText());
        assertEquals("working", working.get("status").get("state").asText());
        assertFalse(working.get("final").asBoolean());
        JsonNode done = events.get(2).get("result");
        assertEquals("completed", done.get("status").get("state").asText());
        assertTrue(done.get("final").asBoolean());
        assertEquals(taskId, done.get("taskId").asText());
        JsonNode echo = done.get("status").get("message");
        assertEquals("agent", echo.get("role").asText());
        assertEquals("hello agent", echo.get("parts").get(0).get("text").asText());
    }

    @Test
    void jsonRpcErrors() throws Exception {
        JsonNode parse = DemoClient.json(client.postJson("/a2a", "{not json"));
        assertEquals(-32700, parse.get("error").get("code").asInt());
        assertTrue(parse.get("id").isNull());

        JsonNode unknown = DemoClient.json(client.postJson("/a2a", call(1, "agent/dance", "{}")));
        assertEquals(-32601, unknown.get("error").get("code").asInt());
        assertEquals(1, unknown.get("id").asInt());

        JsonNode noMessage = DemoClient.json(client.postJson("/a2a", call(2, "message/send", "{}")));
        assertEquals(-32602, noMessage.get("error").get("code").asInt());

        JsonNode invalid = DemoClient.json(client.postJson("/a2a", "{\"jsonrpc\":\"1.0\",\"id\":3,\"method\":\"x\"}"));
        assertEquals(-32600, invalid.get("error").get("code").asInt());

        JsonNode task = DemoClient.json(client.postJson("/a2a", call(4, "tasks/get", "{\"id\":\"t\"}")));
        assertEquals(A2aAgent.TASK_NOT_FOUND, task.get("error").get("code").asInt());
    }

    @Test
    void notificationsGetNoAnswer() throws Exception {
        HttpResponse<String> r = client.postJson("/a2a",
                "{\"jsonrpc\":\"2.0\",\"method\":\"message/send\",\"params\":{\"message\":" + MESSAGE + "}}");
        assertEquals(204, r.statusCode());
        assertEquals("", r.body());
    }

    @Test
    void refusesBodiesOverOneMebibyte() throws Exception {
        String big = call(1, "message/send", "{\"message\":{\"parts\":[],\"messageId\":\""
                + "x".repeat(1 << 20) + "\"}}");
        assertEquals(413, client.postJson("/a2a", big).statusCode());
    }

    @Test
    void onlyPostIsAccepted() throws Exception {
        HttpResponse<String> r = client.send(client.request("/a2a").GET().build());
        assertEquals(405, r.statusCode());
        assertEquals("POST", r.headers().firstValue("allow").orElseThrow());
    }
}
