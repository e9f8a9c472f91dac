package io.acip.ingress;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A warning a peer can cause at will (a refused connection, a timed-out head), logged at most once per interval
 * with the number of like events since the last line, so that a flood cannot flood the log too.
 */
public final class ThrottledLog {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public ThrottledLog(Logger log, java.time.Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /** Logs {@code message} unless a line went out less than the interval ago (then it is only counted). */
    public void warn(java.util.function.Supplier<String> message) {
        long now = System.nanoTime();
        long next = nextAt.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !nextAt.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long skipped = suppressed.getAndSet(0);
        if (log.isLoggable(Level.WARNING)) {
            log.warning(message.get() + (skipped > 0 ? " (and " + skipped + " more like it since the last line)" : ""));
        }
    }
}
