package io.acip.gateway.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers any request with what it received, as JSON:
 * {@code {"method","path","query","headers","bodyLength","bodySha256"}}. The body is streamed through SHA-256 as it
 * arrives (never held whole), so the echo also proves what a gateway carried, byte for byte, at any size. Header
 * names are lowercased and repeated fields joined with {@code ", "} (RFC 9110 §5.3).
 */
public final class EchoAgent extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        new Object() {
            long length;

            void read() {
                while (true) {
                    Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        request.demand(this::read);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        Response.writeError(request, response, callback, chunk.getFailure());
                        return;
                    }
                    length += chunk.remaining();
                    sha256.update(chunk.getByteBuffer());
                    chunk.release();
                    if (chunk.isLast()) {
                        respond(request, response, callback, length, sha256.digest());
                        return;
                    }
                }
            }
        }.read();
        return true;
    }

    private static void respond(Request request, Response response, Callback callback, long length, byte[] digest) {
        ObjectNode echo = JsonRpc.JSON.createObjectNode();
        echo.put("method", request.getMethod());
        echo.put("path", request.getHttpURI().getPath());
        echo.put("query", request.getHttpURI().getQuery());
        ObjectNode headers = echo.putObject("headers");
        for (HttpField field : request.getHeaders()) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            String value = field.getValue() == null ? "" : field.getValue();
            headers.put(name, headers.has(name) ? headers.get(name).asText() + ", " + value : value);
        }
        echo.put("bodyLength", length);
        echo.put("bodySha256", HexFormat.of().formatHex(digest));
        JsonRpc.writeJson(response, 200, echo, callback);
    }
}
