package io.acip.gateway.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;

/** JSON-RPC 2.0 shapes (https://www.jsonrpc.org/specification) and JSON in and out of Jetty, for the demo agents. */
final class JsonRpc {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    /** Largest request body a demo agent reads. */
    static final int MAX_BODY = 1 << 20;

    private JsonRpc() {
    }

    static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode out = JSON.createObjectNode().put("jsonrpc", "2.0");
        out.set("id", id == null ? NullNode.instance : id);
        out.set("result", result);
        return out;
    }

    static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode out = JSON.createObjectNode().put("jsonrpc", "2.0");
        out.set("id", id == null ? NullNode.instance : id);
        out.putObject("error").put("code", code).put("message", message);
        return out;
    }

    static ObjectNode notification(String method, JsonNode params) {
        ObjectNode out = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
        out.set("params", params);
        return out;
    }

    /** Why {@code message} is not a JSON-RPC 2.0 request or notification, or null when it is one. */
    static String invalid(JsonNode message) {
        if (!message.isObject()) return "a request is a JSON object";
        if (!"2.0".equals(message.path("jsonrpc").asText(null))) return "jsonrpc must be \"2.0\"";
        if (!message.path("method").isTextual()) return "method must be a string";
        JsonNode id = message.get("id");
        if (id != null && !(id.isTextual() || id.isIntegralNumber() || id.isNull())) {
            return "id must be a string, an integer or null";
        }
        JsonNode params = message.get("params");
        if (params != null && !params.isObject() && !params.isArray()) return "params must be an object or array";
        return null;
    }

    /** A request expects an answer; a notification (no id) must not get one. */
    static boolean isNotification(JsonNode message) {
        return message.isObject() && !message.has("id") && message.has("method");
    }

    /** Reads the whole (small) body without blocking; more than {@link #MAX_BODY} is answered 413. */
    static void readBody(Request request, Response response, Callback callback, Consumer<byte[]> then) {
        Content.Source.asByteArrayAsync(request, MAX_BODY, Promise.Invocable.from(InvocationType.NON_BLOCKING,
                then, failure -> {
                    // Over the limit, the reader fails with an IllegalStateException ("Max size ... exceeded").
                    if (failure instanceof IllegalStateException) {
                        Response.writeError(request, response, callback, 413, "request body over " + MAX_BODY
                                + " bytes");
                    } else {
                        Response.writeError(request, response, callback, failure);
                    }
                }));
    }

    /** Parses JSON, or answers the JSON-RPC parse error and returns null. */
    static JsonNode parse(byte[] body, Response response, Callback callback) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && !node.isMissingNode()) return node;
        } catch (JsonProcessingException e) {
            // answered below
        } catch (java.io.IOException e) {
            // answered below
        }
        writeJson(response, 200, error(null, PARSE_ERROR, "Parse error"), callback);
        return null;
    }

    static void writeJson(Response response, int status, JsonNode body, Callback callback) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree built in memory always serialises", e);
        }
    }
}
