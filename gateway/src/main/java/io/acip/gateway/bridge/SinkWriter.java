package io.acip.gateway.bridge;

import io.acip.ingress.WriteCallback;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Serialises writes to a sink whose writes complete asynchronously (a {@code ResponseSink}, a tunnel): each write
 * starts when the previous one completed. Confined to one executor (the session's event loop); completions from
 * other threads come back through it. {@code onBusy} reports when writes are outstanding, so the caller can pause
 * whoever produces them.
 */
final class SinkWriter {
    private final Executor loop;
    private final Consumer<Boolean> onBusy;
    private final Consumer<Throwable> onFailure;
    private final ArrayDeque<Consumer<WriteCallback>> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean failed;

    SinkWriter(Executor loop, Consumer<Boolean> onBusy, Consumer<Throwable> onFailure) {
        this.loop = loop;
        this.onBusy = onBusy;
        this.onFailure = onFailure;
    }

    /** Queues a write; {@code write} gets the callback to complete. Call on the loop. */
    void submit(Consumer<WriteCallback> write) {
        if (failed) return;
        if (queue.isEmpty() && !writing) onBusy.accept(true);
        queue.add(write);
        if (!writing) next();
    }

    boolean idle() {
        return !writing && queue.isEmpty();
    }

    private void next() {
        Consumer<WriteCallback> w = queue.poll();
        if (w == null) {
            writing = false;
            onBusy.accept(false);
            return;
        }
        writing = true;
        w.accept(failure -> loop.execute(() -> {
            if (failed) return;
            if (failure != null) {
                failed = true;
                queue.clear();
                writing = false;
                onFailure.accept(failure);
            } else {
                next();
            }
        }));
    }
}
