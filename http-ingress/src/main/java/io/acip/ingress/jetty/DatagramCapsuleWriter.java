package io.acip.ingress.jetty;

import io.acip.capsule.Capsule;
import io.acip.capsule.DatagramPayload;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * DATAGRAM capsules toward the agent (RFC 9297 §3.5): {@link #offer} copies a payload into its own capsule and never
 * blocks; one write at a time drains the queue, several capsules per write. What is queued and in flight is bounded:
 * beyond it a payload is refused (UDP may drop; memory may not grow for a slow agent). Nothing is written before
 * {@link #start} (the 101 / 200 must reach the agent first); {@link #finish} half-closes once the queue is flushed.
 */
final class DatagramCapsuleWriter extends IteratingCallback {
    /** Bytes queued and in flight toward one agent before payloads are refused. */
    static final int MAX_QUEUED_BYTES = 256 * 1024;
    private static final int MAX_BATCH = 64;

    /** What {@link #offer} made of a payload. */
    enum Offer { QUEUED, QUEUE_FULL, CLOSED }

    private final EndPoint endPoint;
    private final Executor executor;
    private final Consumer<Throwable> onWriteFailure;
    private final Object lock = new Object();
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private long pendingBytes; // queued plus in flight
    private long inFlightBytes;
    private boolean started;
    private boolean closed; // no more offers: finishing or discarded
    private boolean finishing;
    private boolean outputShut;
    private boolean flushScheduled;

    /**
     * @param executor where flushes run: not on the thread that sends (the gateway's relay or ACIP event loop, which
     *     then goes back to reading at once), and one flush carries whatever a burst of sends queued meanwhile in one
     *     gathered write (one DATA frame, TLS record and system call instead of one per datagram)
     */
    DatagramCapsuleWriter(EndPoint endPoint, Executor executor, Consumer<Throwable> onWriteFailure) {
        this.endPoint = endPoint;
        this.executor = executor;
        this.onWriteFailure = onWriteFailure;
    }

    /**
     * Queues one DATAGRAM capsule with context ID 0 carrying a copy of {@code payload}'s remaining bytes; it leaves
     * on the next {@link #flush} (so that the caller counts it before the agent can see it).
     */
    Offer offer(ByteBuffer payload) {
        int length = Capsule.datagramLength(DatagramPayload.UDP_PAYLOAD_CONTEXT, payload.remaining());
        ByteBuffer capsule = ByteBuffer.allocate(length);
        Capsule.writeDatagram(capsule, DatagramPayload.UDP_PAYLOAD_CONTEXT, payload);
        capsule.flip();
        synchronized (lock) {
            if (closed) return Offer.CLOSED;
            if (pendingBytes + length > MAX_QUEUED_BYTES) return Offer.QUEUE_FULL;
            queue.add(capsule);
            pendingBytes += length;
        }
        return Offer.QUEUED;
    }

    /** Writes what was queued, once started, from the executor; a flush already scheduled takes it along. */
    void flush() {
        synchronized (lock) {
            if (!started || flushScheduled) return;
            flushScheduled = true;
        }
        executor.execute(() -> {
            synchronized (lock) {
                flushScheduled = false;
            }
            iterate();
        });
    }

    /** The endpoint is the flow's now: write what was queued meanwhile. */
    void start() {
        synchronized (lock) {
            started = true;
        }
        iterate();
    }

    /** A clean end: refuse further offers, flush the queue, then shut the output (END_STREAM, or FIN). */
    void finish() {
        boolean flush;
        synchronized (lock) {
            closed = true;
            finishing = true;
            flush = started;
        }
        if (flush) iterate();
    }

    /** An abortive end: drop what is queued and refuse further offers. */
    void discard() {
        synchronized (lock) {
            closed = true;
            finishing = false;
            queue.clear();
            pendingBytes = inFlightBytes;
        }
    }

    /** Whether the clean end went out (END_STREAM or FIN). */
    boolean isOutputShut() {
        synchronized (lock) {
            return outputShut;
        }
    }

    @Override
    protected Action process() {
        ByteBuffer[] batch;
        synchronized (lock) {
            pendingBytes -= inFlightBytes;
            inFlightBytes = 0;
            if (!started) return Action.IDLE;
            if (queue.isEmpty()) {
                if (!finishing || outputShut) return Action.IDLE;
                outputShut = true;
                batch = null;
            } else {
                batch = new ByteBuffer[Math.min(queue.size(), MAX_BATCH)];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = queue.poll();
                    inFlightBytes += batch[i].remaining();
                }
            }
        }
        if (batch == null) {
            endPoint.shutdownOutput();
            return Action.SUCCEEDED;
        }
        endPoint.write(this, batch);
        return Action.SCHEDULED;
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
        discard();
        onWriteFailure.accept(cause);
    }
}
