package io.acip.bench.udp;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A bounded in-flight window of echo requests, the one measurement method of every row: at most {@code window}
 * payloads are outstanding; each echo frees one slot and the path's read-complete refills the window, so the rate is
 * what the round trip sustains rather than what a sender can dump into buffers. A payload not echoed within
 * {@code lossTimeout} counts as lost and frees its slot, so losses never deadlock the window; a late echo of it is
 * counted apart and not as received.
 *
 * <p>Each payload carries its sequence number in its first 8 bytes. Confined to {@link #loop()}: the path calls
 * {@link #onEcho} and {@link #refill} there, and asks it for {@link #counters} through the loop.
 */
public final class EchoWindow {
    /** Sequence numbers remembered; also bounds how far the newest send may run ahead of the oldest outstanding. */
    private static final int RING = 1 << 16;
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** RTT histogram: 10 µs buckets up to 500 ms, the last one catching the rest. */
    private static final long BUCKET_NANOS = 10_000;
    private static final int BUCKETS = 50_000;

    /** What the path does for the window: send one payload with this sequence number, and push out what was sent. */
    public interface Sender {
        /** Writes one payload numbered {@code seq}; false when the path cannot take it now (counted, not retried). */
        boolean send(long seq);

        /** Called once after a burst of {@link #send}s. */
        void flush();
    }

    /** Running totals, all since the window started; a measurement is the difference of two snapshots. */
    public record Counters(long sent, long received, long lost, long late, long refused, long rttNanosSum,
                           long[] rttHistogram, long nanos) {
        /** {@code this - before}: the window between two snapshots. */
        public Counters minus(Counters before) {
            long[] h = new long[rttHistogram.length];
            for (int i = 0; i < h.length; i++) h[i] = rttHistogram[i] - before.rttHistogram[i];
            return new Counters(sent - before.sent, received - before.received, lost - before.lost,
                    late - before.late, refused - before.refused, rttNanosSum - before.rttNanosSum, h,
                    nanos - before.nanos);
        }

        public double seconds() {
            return nanos / 1e9;
        }

        /** Round-trip time below which {@code fraction} of the echoes came back, in µs (bucket upper bound). */
        public double rttPercentileMicros(double fraction) {
            long total = 0;
            for (long c : rttHistogram) total += c;
            if (total == 0) return Double.NaN;
            long rank = (long) Math.ceil(fraction * total);
            long seen = 0;
            for (int i = 0; i < rttHistogram.length; i++) {
                seen += rttHistogram[i];
                if (seen >= rank) return (i + 1) * BUCKET_NANOS / 1e3;
            }
            return Double.NaN;
        }
    }

    private final EventLoop loop;
    private final int window;
    private final long lossTimeoutNanos;
    private final Sender sender;
    private final long[] sentAt = new long[RING]; // 0: not outstanding
    private final long[] seqAt = new long[RING];
    private final long[] histogram = new long[BUCKETS];
    private long next; // next sequence number to send
    private long oldest; // no sequence number below this is outstanding
    private int inFlight;
    private long sent;
    private long received;
    private long lost;
    private long late;
    private long refused;
    private long rttSum;
    private ScheduledFuture<?> sweep;
    private boolean stopped;

    public EchoWindow(EventLoop loop, int window, Duration lossTimeout, Sender sender) {
        if (window <= 0 || window > RING / 4) throw new IllegalArgumentException("window " + window);
        this.loop = loop;
        this.window = window;
        this.lossTimeoutNanos = lossTimeout.toNanos();
        this.sender = sender;
    }

    public EventLoop loop() {
        return loop;
    }

    /** Fills the window and starts the loss sweep; from any thread. */
    public void start() {
        loop.execute(() -> {
            sweep = loop.scheduleAtFixedRate(this::expireAndRefill, SWEEP_NANOS, SWEEP_NANOS, TimeUnit.NANOSECONDS);
            refill();
        });
    }

    /** Stops sending; echoes still count. From any thread; returns once the loop has taken it in. */
    public void stop() throws Exception {
        loop.submit(() -> {
            stopped = true;
            if (sweep != null) sweep.cancel(false);
        }).get(5, TimeUnit.SECONDS);
    }

    /** The totals now, taken on the loop. */
    public Counters counters() throws Exception {
        return loop.submit(() -> new Counters(sent, received, lost, late, refused, rttSum, histogram.clone(),
                System.nanoTime())).get(5, TimeUnit.SECONDS);
    }

    /** An echo of payload {@code seq} came back (on the loop). */
    public void onEcho(long seq) {
        int slot = (int) (seq & (RING - 1));
        long at = sentAt[slot];
        if (at == 0 || seqAt[slot] != seq) {
            late++; // declared lost earlier, or not ours
            return;
        }
        long rtt = System.nanoTime() - at;
        sentAt[slot] = 0;
        inFlight--;
        received++;
        rttSum += rtt;
        histogram[(int) Math.min(BUCKETS - 1, rtt / BUCKET_NANOS)]++;
    }

    /** Sends until the window is full again, then flushes once (on the loop). */
    public void refill() {
        if (stopped) return;
        advanceOldest();
        int burst = 0;
        while (inFlight < window && next - oldest < RING) {
            long seq = next;
            if (!sender.send(seq)) {
                refused++;
                break; // the path is full: the sweep tries again
            }
            int slot = (int) (seq & (RING - 1));
            long now = System.nanoTime();
            sentAt[slot] = now == 0 ? 1 : now;
            seqAt[slot] = seq;
            next++;
            inFlight++;
            sent++;
            burst++;
        }
        if (burst > 0) sender.flush();
    }

    private void expireAndRefill() {
        long now = System.nanoTime();
        while (oldest < next) {
            int slot = (int) (oldest & (RING - 1));
            long at = sentAt[slot];
            if (at != 0) {
                if (now - at < lossTimeoutNanos) break; // sent in order: all later ones are younger
                sentAt[slot] = 0;
                inFlight--;
                lost++;
            }
            oldest++;
        }
        refill();
    }

    private void advanceOldest() {
        while (oldest < next && sentAt[(int) (oldest & (RING - 1))] == 0) oldest++;
    }
}
