package io.acip.gateway.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A {@code text/event-stream} response (HTML Living Standard §9.2, server-sent events): each event is written, and so
 * flushed, on its own, the next only once the previous write completed.
 */
final class EventStream {
    private EventStream() {
    }

    static void open(Response response) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    }

    /** One event: an optional {@code id:} line, then {@code data:} lines (one per line of {@code data}), then a blank. */
    static ByteBuffer event(String id, String data) {
        StringBuilder out = new StringBuilder();
        if (id != null) out.append("id: ").append(id).append('\n');
        for (String line : data.split("\n", -1)) out.append("data: ").append(line).append('\n');
        return ByteBuffer.wrap(out.append('\n').toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code events} one after another, the last ending the response, then completes {@code callback}. */
    static void writeAll(Response response, List<ByteBuffer> events, Callback callback) {
        ArrayDeque<ByteBuffer> queue = new ArrayDeque<>(events);
        new Object() {
            void next() {
                ByteBuffer event = queue.poll();
                if (event == null) {
                    response.write(true, ByteBuffer.allocate(0), callback);
                } else {
                    response.write(queue.isEmpty(), event, queue.isEmpty() ? callback
                            : Callback.from(this::next, callback::failed));
                }
            }
        }.next();
    }
}
