package io.acip.ingress.jetty;

import io.acip.ingress.ExchangeEnd;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.util.Callback;

/**
 * The Jetty callback that ends one exchange, completed exactly once whoever gets there first: the last write, a
 * failure after commit, or the agent going away. Afterwards Jetty may recycle the request, so the exchange's body
 * source and sink check {@link #isDone} before touching it.
 */
final class ExchangeCompletion {
    private final Callback callback;
    private final AtomicBoolean done = new AtomicBoolean();
    private final ExchangeEnd end = new ExchangeEnd();

    ExchangeCompletion(Callback callback) {
        this.callback = callback;
    }

    boolean isDone() {
        return done.get();
    }

    /** What runs once the exchange has ended. */
    ExchangeEnd end() {
        return end;
    }

    /** Ends the exchange normally; false if it had already ended. */
    boolean succeed() {
        if (!done.compareAndSet(false, true)) return false;
        callback.succeeded();
        end.fire();
        return true;
    }

    /** Ends the exchange with a failure: after commit Jetty resets the HTTP/2 stream or closes the HTTP/1.1 connection. */
    boolean fail(Throwable cause) {
        if (!done.compareAndSet(false, true)) return false;
        callback.failed(cause);
        end.fire();
        return true;
    }
}
