package io.acip.gateway.origin;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.Trailers;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/** Origin behaviours for {@link TestOrigin}, each non-blocking. */
final class OriginHandlers {
    private OriginHandlers() {
    }

    /** Reads the request to its end, then answers {@code received=<bytes>;trailer=<x-checksum trailer>}. */
    static Request.Handler counting() {
        return (request, response, callback) -> {
            new Object() {
                long bytes;

                void read() {
                    while (true) {
                        Content.Chunk chunk = request.read();
                        if (chunk == null) {
                            request.demand(this::read);
                            return;
                        }
                        if (Content.Chunk.isFailure(chunk)) {
                            callback.failed(chunk.getFailure());
                            return;
                        }
                        bytes += chunk.remaining();
                        chunk.release();
                        if (chunk.isLast()) {
                            String trailer = chunk instanceof Trailers t ? t.getTrailers().get("x-checksum") : null;
                            response.getHeaders().put("x-request-trailer", String.valueOf(trailer));
                            response.setTrailersSupplier(() -> HttpFields.build().add("x-response-checksum", "def"));
                            response.write(true, utf8("received=" + bytes), callback);
                            return;
                        }
                    }
                }
            }.read();
            return true;
        };
    }

    /** Writes {@code total} bytes in 64 KiB writes, each after the previous completed; counts completed bytes. */
    static Request.Handler download(long total, AtomicLong written) {
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < block.length; i++) block[i] = (byte) i;
        return (request, response, callback) -> {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            new IteratingCallback() {
                long sent;
                int pending;

                @Override
                protected Action process() {
                    written.addAndGet(pending);
                    if (sent == total) return Action.SUCCEEDED;
                    pending = (int) Math.min(block.length, total - sent);
                    sent += pending;
                    response.write(sent == total, ByteBuffer.wrap(block, 0, pending), this);
                    return Action.SCHEDULED;
                }

                @Override
                protected void onCompleteSuccess() {
                    callback.succeeded();
                }

                @Override
                protected void onCompleteFailure(Throwable cause) {
                    callback.failed(cause);
                }
            }.iterate();
            return true;
        };
    }

    /** Server-sent events: the first at once, the second only when {@code gate} completes. */
    static Request.Handler sse(CompletableFuture<Void> gate) {
        return (request, response, callback) -> {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            response.write(false, utf8("id: 1\ndata: first\n\n"), Callback.from(
                    () -> gate.thenRun(() -> response.write(true, utf8("id: 2\ndata: second\n\n"), callback)),
                    callback::failed));
            return true;
        };
    }

    /** Promises 100000 bytes, sends 1000, then gives up: the connection closes or the stream resets. */
    static Request.Handler resetMidBody() {
        return (request, response, callback) -> {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 100_000);
            response.write(false, ByteBuffer.wrap(new byte[1000]), Callback.from(
                    () -> callback.failed(new IllegalStateException("origin gives up")), callback::failed));
            return true;
        };
    }

    /** Sends one chunk of content, then nothing more until the server stops. */
    static Request.Handler stallAfterFirstChunk() {
        return (request, response, callback) -> {
            response.write(false, utf8("partial"), Callback.NOOP);
            return true;
        };
    }

    /** 103 Early Hints with a Link, then 200. */
    static Request.Handler earlyHints() {
        return (request, response, callback) -> {
            response.writeInterim(103, HttpFields.build().add("link", "</app.css>; rel=preload; as=style"))
                    .whenComplete((v, e) -> response.write(true, utf8("ok"), callback));
            return true;
        };
    }

    static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }
}
