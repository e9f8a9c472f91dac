package io.acip.gateway.udp;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition only counters show (no event to wait on), checking often, up to a bound. */
final class Waits {
    private Waits() {
    }

    static void until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout);
            Thread.sleep(10);
        }
    }
}
