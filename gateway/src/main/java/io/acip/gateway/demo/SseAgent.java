package io.acip.gateway.demo;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Streams {@code n} server-sent events {@code interval_ms} apart ({@code ?n=5&interval_ms=200}, the defaults; at most
 * {@value #MAX_EVENTS} events and {@value #MAX_INTERVAL_MS} ms). Event {@code i} (1-based) is
 * {@code id: i} and {@code data: {"seq":i,"of":n,"at":"<instant>"}}, each flushed as it is written. The pauses are
 * timers on the server's {@link Scheduler}: no thread waits for a stream.
 */
public final class SseAgent extends Handler.Abstract.NonBlocking {
    public static final int MAX_EVENTS = 10_000;
    public static final int MAX_INTERVAL_MS = 60_000;

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Fields query = Request.extractQueryParameters(request);
        int n;
        int interval;
        try {
            n = intParam(query, "n", 5, 0, MAX_EVENTS);
            interval = intParam(query, "interval_ms", 200, 0, MAX_INTERVAL_MS);
        } catch (IllegalArgumentException e) {
            Response.writeError(request, response, callback, 400, e.getMessage());
            return true;
        }
        EventStream.open(response);
        Scheduler scheduler = request.getComponents().getScheduler();
        new Object() {
            int seq;

            void next() {
                seq++;
                if (seq > n) {
                    // n = 0: the stream opens and ends without an event.
                    response.write(true, java.nio.ByteBuffer.allocate(0), callback);
                    return;
                }
                String data = "{\"seq\":" + seq + ",\"of\":" + n + ",\"at\":\"" + Instant.now() + "\"}";
                boolean last = seq == n;
                response.write(last, EventStream.event(Integer.toString(seq), data), last ? callback
                        : Callback.from(() -> scheduler.schedule(this::next, interval, TimeUnit.MILLISECONDS),
                                callback::failed));
            }
        }.next();
        return true;
    }

    private static int intParam(Fields query, String name, int fallback, int min, int max) {
        String value = query.getValue(name);
        if (value == null) return fallback;
        int v;
        try {
            v = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
        if (v < min || v > max) throw new IllegalArgumentException(name + " must be in " + min + ".." + max);
        return v;
    }
}
