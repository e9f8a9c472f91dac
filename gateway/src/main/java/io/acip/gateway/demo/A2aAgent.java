package io.acip.gateway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * An A2A 0.3 agent over JSON-RPC 2.0 that echoes: {@code message/send} answers with an agent {@code Message} carrying
 * the user's parts back; {@code message/stream} answers with server-sent events, each a JSON-RPC response: the
 * {@code Task} (submitted), a {@code status-update} (working), and a final {@code status-update} (completed,
 * {@code final: true}) whose status message is the echo. {@code tasks/get} answers the streamed tasks it still holds
 * (the last {@value #MAX_TASKS}; others are A2A error -32001), {@code tasks/cancel} refuses them as already complete
 * (-32002); other methods are JSON-RPC "method not found".
 */
public final class A2aAgent extends Handler.Abstract.NonBlocking {
    /** A2A §8.2 TaskNotFoundError. */
    static final int TASK_NOT_FOUND = -32001;
    /** A2A §8.2 TaskNotCancelableError. */
    static final int TASK_NOT_CANCELABLE = -32002;
    static final int MAX_TASKS = 1000;

    /** Finished tasks by ID, the oldest forgotten first. */
    private final Map<String, ObjectNode> tasks = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
            return size() > MAX_TASKS;
        }
    };

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!HttpMethod.POST.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            Response.writeError(request, response, callback, 405, "A2A JSON-RPC takes POST");
            return true;
        }
        JsonRpc.readBody(request, response, callback, body -> answer(body, response, callback));
        return true;
    }

    private void answer(byte[] body, Response response, Callback callback) {
        JsonNode call = JsonRpc.parse(body, response, callback);
        if (call == null) return;
        String invalid = JsonRpc.invalid(call);
        if (invalid != null) {
            JsonRpc.writeJson(response, 200, JsonRpc.error(call.get("id"), JsonRpc.INVALID_REQUEST, invalid), callback);
            return;
        }
        if (JsonRpc.isNotification(call)) {
            response.setStatus(204); // JSON-RPC 2.0 §4.1: a notification is never answered
            callback.succeeded();
            return;
        }
        JsonNode id = call.get("id");
        String method = call.get("method").asText();
        switch (method) {
            case "message/send", "message/stream" -> {
                JsonNode message = call.path("params").path("message");
                String problem = messageProblem(message);
                if (problem != null) {
                    JsonRpc.writeJson(response, 200, JsonRpc.error(id, JsonRpc.INVALID_PARAMS, problem), callback);
                } else if (method.equals("message/send")) {
                    JsonRpc.writeJson(response, 200, JsonRpc.result(id, echo(message, null)), callback);
                } else {
                    stream(id, message, response, callback);
                }
            }
            case "tasks/get", "tasks/cancel" -> {
                ObjectNode task;
                synchronized (tasks) {
                    task = tasks.get(call.path("params").path("id").asText(""));
                }
                if (task == null) {
                    JsonRpc.writeJson(response, 200, JsonRpc.error(id, TASK_NOT_FOUND, "Task not found"), callback);
                } else if (method.equals("tasks/cancel")) {
                    JsonRpc.writeJson(response, 200, JsonRpc.error(id, TASK_NOT_CANCELABLE,
                            "Task cannot be canceled: it is completed"), callback);
                } else {
                    JsonRpc.writeJson(response, 200, JsonRpc.result(id, task), callback);
                }
            }
            default -> JsonRpc.writeJson(response, 200, JsonRpc.error(id, JsonRpc.METHOD_NOT_FOUND,
                    "Method not found: " + method), callback);
        }
    }

    private static String messageProblem(JsonNode message) {
        if (!message.isObject()) return "params.message must be a Message object";
        if (!message.path("parts").isArray()) return "params.message.parts must be an array";
        if (!message.path("messageId").isTextual()) return "params.message.messageId must be a string";
        return null;
    }

    /** The agent's answer: the user's parts, in a new message of the same context. */
    private static ObjectNode echo(JsonNode message, String taskId) {
        ObjectNode out = JsonRpc.JSON.createObjectNode()
                .put("kind", "message")
                .put("role", "agent")
                .put("messageId", UUID.randomUUID().toString())
                .put("contextId", contextId(message));
        if (taskId != null) out.put("taskId", taskId);
        out.set("parts", message.get("parts").deepCopy());
        return out;
    }

    private static String contextId(JsonNode message) {
        JsonNode c = message.get("contextId");
        return c != null && c.isTextual() ? c.asText() : "ctx-" + message.get("messageId").asText();
    }

    private void stream(JsonNode id, JsonNode message, Response response, Callback callback) {
        String taskId = UUID.randomUUID().toString();
        String contextId = contextId(message);
        ObjectNode task = JsonRpc.JSON.createObjectNode().put("kind", "task").put("id", taskId)
                .put("contextId", contextId);
        task.set("status", status("submitted", null));
        task.putArray("history").add(message.deepCopy());
        ObjectNode working = statusUpdate(taskId, contextId, status("working", null), false);
        ObjectNode completed = statusUpdate(taskId, contextId, status("completed", echo(message, taskId)), true);
        ObjectNode finished = task.deepCopy();
        finished.set("status", completed.get("status").deepCopy());
        synchronized (tasks) {
            tasks.put(taskId, finished);
        }
        EventStream.open(response);
        EventStream.writeAll(response, List.of(sse(id, task), sse(id, working), sse(id, completed)), callback);
    }

    private static ObjectNode status(String state, ObjectNode message) {
        ObjectNode s = JsonRpc.JSON.createObjectNode().put("state", state).put("timestamp", Instant.now().toString());
        if (message != null) s.set("message", message);
        return s;
    }

    private static ObjectNode statusUpdate(String taskId, String contextId, ObjectNode status, boolean last) {
        ObjectNode u = JsonRpc.JSON.createObjectNode().put("kind", "status-update").put("taskId", taskId)
                .put("contextId", contextId);
        u.set("status", status);
        u.put("final", last);
        return u;
    }

    private static ByteBuffer sse(JsonNode id, JsonNode result) {
        return EventStream.event(null, new String(JsonRpc.bytes(JsonRpc.result(id, result)),
                java.nio.charset.StandardCharsets.UTF_8));
    }
}
