package io.acip.ingress.h3;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Counts the exchanges and UDP flows in progress, so that a graceful stop can wait for them to end. */
final class InFlight {
    private int active;

    /** One more in progress; the returned token ends it, however often it is run. */
    synchronized Runnable begin() {
        active++;
        AtomicBoolean ended = new AtomicBoolean();
        return () -> {
            if (ended.compareAndSet(false, true)) end();
        };
    }

    private synchronized void end() {
        active--;
        if (active == 0) notifyAll();
    }

    synchronized int active() {
        return active;
    }

    /** Waits until nothing is in progress; false when {@code timeout} passed first. */
    synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (active > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
