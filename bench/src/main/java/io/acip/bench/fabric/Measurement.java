package io.acip.bench.fabric;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What one measurement window saw: how much the receiving end counted, how much the sender handed over, over how
 * long, and which threads were busiest meanwhile. Counting happens at both ends all along; the window only samples
 * the counters after a warm-up, so start-up (JIT, slow start) stays out of the figures.
 *
 * @param received bytes or datagrams counted by the receiving application in the window
 * @param sent     bytes or datagrams the sending application handed over in the window
 * @param pausedSeconds time the sender spent waiting for the path to become writable (backpressure)
 * @param udpDrops UDP datagrams the kernel dropped for lack of socket buffer in the window, -1 if unknown
 * @param maxBacklog the most the sender was ever ahead of the receiver in the window, sampled every
 *                   {@value #SAMPLE_MS} ms: what sits in buffers along the path (for datagrams, lost ones count too).
 *                   With working backpressure a stream's stays within a few flow-control windows
 */
public record Measurement(long received, long sent, double seconds, double pausedSeconds, long udpDrops,
                          long maxBacklog, String busiestThreads) {
    private static final long SAMPLE_MS = 50;

    /** Waits out {@code warmup}, then counts for {@code duration}. {@code sender} must already be running. */
    public static Measurement window(LongSupplier received, Pump sender, Duration warmup, Duration duration)
            throws InterruptedException {
        Thread.sleep(warmup.toMillis());
        long r0 = received.getAsLong();
        long s0 = sender.sent();
        long p0 = sender.pausedNanos();
        long d0 = UdpDrops.now();
        ThreadCpu cpu = ThreadCpu.start();
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        long backlog = sender.sent() - received.getAsLong();
        for (long now = t0; now < end; now = System.nanoTime()) {
            Thread.sleep(Math.max(1, Math.min(SAMPLE_MS, (end - now) / 1_000_000)));
            backlog = Math.max(backlog, sender.sent() - received.getAsLong());
        }
        long r1 = received.getAsLong();
        long s1 = sender.sent();
        long p1 = sender.pausedNanos();
        long d1 = UdpDrops.now();
        long t1 = System.nanoTime();
        return new Measurement(r1 - r0, s1 - s0, (t1 - t0) / 1e9, (p1 - p0) / 1e9, d0 < 0 || d1 < 0 ? -1 : d1 - d0,
                backlog, cpu.busiest(4));
    }

    /** Share of the window the sender was held back by backpressure, in %. */
    public double pausedPercent() {
        return Math.min(100, Math.max(0, 100 * pausedSeconds / seconds));
    }

    /** Received units per second. */
    public double rate() {
        return received / seconds;
    }

    /**
     * Share of what was sent that never arrived, in %. Counted over the same window at both ends, so the few
     * datagrams in flight at its edges blur it by a hair; never below 0.
     */
    public double lossPercent() {
        return sent == 0 ? 0 : Math.max(0, 100.0 * (sent - received) / sent);
    }
}
