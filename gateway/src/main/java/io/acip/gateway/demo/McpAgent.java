package io.acip.gateway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * An MCP server on the Streamable HTTP transport (MCP 2025-03-26, "Transports") offering one tool, {@code echo}.
 *
 * <ul>
 *   <li>POST carries one JSON-RPC message or a batch. {@code initialize} opens a session and answers with its id in
 *       {@code Mcp-Session-Id}; every later POST or DELETE must carry it (missing: 400, unknown or ended: 404).</li>
 *   <li>Only notifications and responses: 202 Accepted, no body. Requests: {@code application/json} with the
 *       response (or responses), or, when the client accepts {@code text/event-stream} and a request asks for
 *       progress ({@code params._meta.progressToken}), an SSE stream of {@code notifications/progress} then the
 *       responses, closed after the last.</li>
 *   <li>Methods: {@code initialize}, {@code ping}, {@code tools/list}, {@code tools/call} (tool {@code echo},
 *       argument {@code text}).</li>
 *   <li>GET (a server-initiated stream) is not offered: 405. DELETE ends the session.</li>
 * </ul>
 */
public final class McpAgent extends Handler.Abstract.NonBlocking {
    public static final String PROTOCOL_VERSION = "2025-03-26";
    public static final String SESSION_HEADER = "Mcp-Session-Id";
    /** Sessions kept at most; beyond, initialize is refused (503) rather than memory growing without bound. */
    static final int MAX_SESSIONS = 10_000;

    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    private final java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();

    /** Sessions open now. */
    int openSessions() {
        return sessions.size();
    }

    /** Sessions opened since start. */
    int openedSessions() {
        return opened.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (HttpMethod.DELETE.is(method)) {
            String session = request.getHeaders().get(SESSION_HEADER);
            if (session == null) {
                Response.writeError(request, response, callback, 400, SESSION_HEADER + " missing");
            } else if (!sessions.remove(session)) {
                Response.writeError(request, response, callback, 404, "no such session");
            } else {
                response.setStatus(204);
                callback.succeeded();
            }
            return true;
        }
        if (!HttpMethod.POST.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST, DELETE");
            Response.writeError(request, response, callback, 405, "this server offers no GET stream");
            return true;
        }
        JsonRpc.readBody(request, response, callback, body -> post(request, body, response, callback));
        return true;
    }

    private void post(Request request, byte[] body, Response response, Callback callback) {
        JsonNode input = JsonRpc.parse(body, response, callback);
        if (input == null) return;
        boolean batch = input.isArray();
        List<JsonNode> messages = new ArrayList<>();
        if (batch) input.forEach(messages::add);
        else messages.add(input);
        if (messages.isEmpty()) {
            JsonRpc.writeJson(response, 200, JsonRpc.error(null, JsonRpc.INVALID_REQUEST, "empty batch"), callback);
            return;
        }
        boolean initializing = !batch && "initialize".equals(input.path("method").asText(null));
        String session = request.getHeaders().get(SESSION_HEADER);
        if (!initializing) {
            if (session == null) {
                Response.writeError(request, response, callback, 400, SESSION_HEADER + " missing: initialize first");
                return;
            }
            if (!sessions.contains(session)) {
                Response.writeError(request, response, callback, 404, "no such session: initialize again");
                return;
            }
        } else {
            if (sessions.size() >= MAX_SESSIONS) {
                Response.writeError(request, response, callback, 503, "too many sessions");
                return;
            }
            session = UUID.randomUUID().toString();
            sessions.add(session);
            opened.incrementAndGet();
            response.getHeaders().put(SESSION_HEADER, session);
        }

        List<JsonNode> answers = new ArrayList<>();
        List<JsonNode> progress = new ArrayList<>();
        for (JsonNode m : messages) {
            if (m.isObject() && !m.has("method") && (m.has("result") || m.has("error"))) continue; // a response
            String invalid = JsonRpc.invalid(m);
            if (invalid != null) {
                answers.add(JsonRpc.error(m.get("id"), JsonRpc.INVALID_REQUEST, invalid));
                continue;
            }
            if (JsonRpc.isNotification(m)) continue;
            JsonNode token = m.path("params").path("_meta").get("progressToken");
            if (token != null) progress.add(progressNotification(token));
            answers.add(call(m, batch));
        }
        if (answers.isEmpty()) {
            response.setStatus(202);
            callback.succeeded();
            return;
        }
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        if (!progress.isEmpty() && accept != null && accept.contains("text/event-stream")) {
            List<ByteBuffer> events = new ArrayList<>();
            progress.forEach(p -> events.add(event(p)));
            if (batch) events.add(event(arrayOf(answers)));
            else answers.forEach(a -> events.add(event(a)));
            EventStream.open(response);
            EventStream.writeAll(response, events, callback);
            return;
        }
        JsonRpc.writeJson(response, 200, batch ? arrayOf(answers) : answers.get(0), callback);
    }

    private static JsonNode call(JsonNode m, boolean inBatch) {
        JsonNode id = m.get("id");
        JsonNode params = m.path("params");
        return switch (m.get("method").asText()) {
            case "initialize" -> inBatch
                    ? JsonRpc.error(id, JsonRpc.INVALID_REQUEST, "initialize must not be part of a batch")
                    : JsonRpc.result(id, initializeResult());
            case "ping" -> JsonRpc.result(id, JsonRpc.JSON.createObjectNode());
            case "tools/list" -> JsonRpc.result(id, JsonRpc.JSON.createObjectNode().set("tools",
                    JsonRpc.JSON.createArrayNode().add(echoTool())));
            case "tools/call" -> callTool(id, params);
            default -> JsonRpc.error(id, JsonRpc.METHOD_NOT_FOUND, "Method not found: " + m.get("method").asText());
        };
    }

    private static ObjectNode initializeResult() {
        ObjectNode r = JsonRpc.JSON.createObjectNode().put("protocolVersion", PROTOCOL_VERSION);
        r.putObject("capabilities").putObject("tools").put("listChanged", false);
        r.putObject("serverInfo").put("name", "acip-demo-mcp").put("version", "0.1.0");
        r.put("instructions", "One tool, echo, which returns its text argument.");
        return r;
    }

    private static ObjectNode echoTool() {
        ObjectNode tool = JsonRpc.JSON.createObjectNode().put("name", "echo")
                .put("description", "Returns the text it is given");
        ObjectNode schema = tool.putObject("inputSchema").put("type", "object");
        schema.putObject("properties").putObject("text").put("type", "string");
        schema.putArray("required").add("text");
        return tool;
    }

    private static JsonNode callTool(JsonNode id, JsonNode params) {
        String name = params.path("name").asText(null);
        if (!"echo".equals(name)) return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Unknown tool: " + name);
        JsonNode text = params.path("arguments").get("text");
        if (text == null || !text.isTextual()) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "echo needs a string argument 'text'");
        }
        ObjectNode result = JsonRpc.JSON.createObjectNode().put("isError", false);
        result.putArray("content").addObject().put("type", "text").put("text", text.asText());
        return JsonRpc.result(id, result);
    }

    private static JsonNode progressNotification(JsonNode token) {
        ObjectNode params = JsonRpc.JSON.createObjectNode();
        params.set("progressToken", token);
        params.put("progress", 1).put("total", 1).put("message", "echoing");
        return JsonRpc.notification("notifications/progress", params);
    }

    private static ArrayNode arrayOf(List<JsonNode> nodes) {
        ArrayNode a = JsonRpc.JSON.createArrayNode();
        nodes.forEach(a::add);
        return a;
    }

    private static ByteBuffer event(JsonNode message) {
        return EventStream.event(null, new String(JsonRpc.bytes(message), StandardCharsets.UTF_8));
    }

    /** Open sessions, for tests and metrics. */
    int sessionCount() {
        return sessions.size();
    }
}
