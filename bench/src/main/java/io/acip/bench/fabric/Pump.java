package io.acip.bench.fabric;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A sender that runs on its event loop and writes as fast as the path takes it: a burst at a time while the path
 * is writable, then either waits for the writability callback ({@link #resume}) or, if still writable, continues on
 * the loop's next turn. Continuing through {@code schedule}, not {@code execute}, lets the loop read (ACKs, window
 * updates) between bursts instead of draining a task queue that never empties.
 */
public abstract class Pump {
    private final EventLoop loop;
    private final LongAdder sent = new LongAdder();
    private final LongAdder pausedNanos = new LongAdder();
    /** When the path last turned unwritable under this pump, or 0 while it is writable. Written on the loop only. */
    private volatile long pausedSince;
    private volatile boolean running;
    /** A run is queued for the loop's next turn; resume() must not start a second chain of runs. */
    private boolean scheduled;

    protected Pump(EventLoop loop) {
        this.loop = loop;
    }

    /** Whether the path takes more now. */
    protected abstract boolean writable();

    /** Writes one unit (a chunk or a datagram); returns how much it counts for (bytes or 1). */
    protected abstract long writeOne();

    /** Units written per loop turn at most. */
    protected abstract int burst();

    public final void start() {
        running = true;
        loop.execute(() -> {
            if (!scheduled) run();
        });
    }

    /** Stops writing; returns once the loop has seen it, so no write follows. */
    public final void stop() throws Exception {
        running = false;
        loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
    }

    /** The path became writable again. Call on the loop. */
    public final void resume() {
        if (pausedSince != 0) {
            pausedNanos.add(System.nanoTime() - pausedSince);
            pausedSince = 0;
        }
        if (running && !scheduled) run();
    }

    public final long sent() {
        return sent.sum();
    }

    /** Time spent waiting for the path to become writable again so far, in ns, a pause still under way included. */
    public final long pausedNanos() {
        long since = pausedSince;
        return pausedNanos.sum() + (since == 0 ? 0 : System.nanoTime() - since);
    }

    private void run() {
        scheduled = false;
        int n = 0;
        long units = 0;
        while (running && n < burst() && writable()) {
            units += writeOne();
            n++;
        }
        sent.add(units);
        if (!running) return;
        if (writable()) {
            scheduled = true;
            loop.schedule(this::run, 0, TimeUnit.NANOSECONDS);
        } else if (pausedSince == 0) {
            pausedSince = System.nanoTime();
        }
    }
}
