package io.acip.ingress.jetty;

import io.acip.capsule.CapsuleListener;
import io.acip.capsule.CapsuleParser;
import io.acip.capsule.CodecException;
import io.acip.capsule.DatagramPayload;
import io.acip.ingress.UdpFlowListener;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * An accepted CONNECT-UDP flow on a capsule stream (RFC 9298 §5, RFC 9297 §3): the HTTP/1.1 connection after the
 * 101, or the HTTP/2 stream's own endpoint after the 200, installed by Jetty as the request's upgrade connection.
 * Reads capsules as they come (any fragmentation, nothing buffered beyond one capsule), hands UDP payloads with context
 * ID 0 to the listener and drops and counts the rest; writes DATAGRAM capsules through a bounded queue.
 *
 * <p>Ends: the agent's clean end of the stream tells the listener {@code onClose(null)} and ends ours; a reset, a
 * malformed capsule or a write failure aborts and tells it the cause; {@code udpIdleTimeout} without a datagram
 * either way aborts with a {@link TimeoutException}. The handler's {@link #close} is never echoed to the listener.
 * Before this connection is opened the agent's bytes are not read at all (TCP and HTTP/2 flow control hold them),
 * so datagrams sent ahead of the 101 / 200 arrive after it, none dropped.
 */
final class CapsuleFlowConnection extends AbstractConnection implements Connection.UpgradeTo, CapsuleListener {
    /** Largest UDP payload (IPv4: 65535 - 20 - 8); also what {@code UdpFlow.maxPayload} answers for capsules. */
    static final int MAX_PAYLOAD = 65_527;
    /** Largest DATAGRAM capsule value accepted: 64 KiB and a context ID. Beyond it the stream is malformed. */
    static final int MAX_CAPSULE_VALUE = 65_536 + 8;
    private static final int READ_BUFFER_SIZE = 16 * 1024;
    /** After the handler's clean close, how long the agent gets to end its side before the flow is aborted. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final UdpFlowListener listener;
    private final ByteBufferPool pool;
    private final Scheduler scheduler;
    private final long idleTimeoutNanos;
    private final IngressCounters counters;
    private final CapsuleParser parser = new CapsuleParser(MAX_CAPSULE_VALUE, this);
    private final DatagramCapsuleWriter writer;
    private final AtomicBoolean ended = new AtomicBoolean(); // the listener was told, or the handler closed
    private final AtomicBoolean opened = new AtomicBoolean();
    private volatile Throwable abortedBy;
    private volatile boolean lingering;
    private volatile boolean inputDone;
    private volatile long lastDatagramNanos = System.nanoTime();
    private volatile Scheduler.Task idleCheck;
    private volatile ByteBuffer prefilled;

    CapsuleFlowConnection(EndPoint endPoint, Executor executor, ByteBufferPool pool, Scheduler scheduler,
                          Duration idleTimeout, IngressCounters counters, UdpFlowListener listener) {
        super(endPoint, executor);
        this.listener = listener;
        this.pool = pool;
        this.scheduler = scheduler;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.counters = counters;
        this.writer = new DatagramCapsuleWriter(endPoint, executor, this::failed);
    }

    /** {@code UdpFlow.send}: never blocks; false when the payload was dropped (and counted). */
    boolean send(ByteBuffer payload) {
        if (payload.remaining() > MAX_PAYLOAD) {
            counters.increment(UdpCounters.DROPPED_OVERSIZE);
            return false;
        }
        switch (writer.offer(payload)) {
            case QUEUED -> {
                counters.increment(UdpCounters.DATAGRAMS_TO_AGENT);
                lastDatagramNanos = System.nanoTime();
                writer.flush();
                return true;
            }
            case QUEUE_FULL -> {
                counters.increment(UdpCounters.DROPPED_QUEUE_FULL);
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** {@code UdpFlow.close}: null ends cleanly once what is queued has left, anything else aborts. */
    void close(Throwable cause) {
        ended.set(true);
        if (cause != null) {
            abort(cause, ErrorCode.CANCEL_STREAM_ERROR);
            return;
        }
        lastDatagramNanos = System.nanoTime(); // the linger period starts now
        lingering = true;
        writer.finish(); // then the agent's end of the stream, read and discarded, completes the close
    }

    /** Jetty will never install this connection (the agent left before the 101 / 200 went out). */
    void abandon(Throwable cause) {
        if (opened.get()) return;
        if (ended.compareAndSet(false, true)) notifyClosed(cause);
        abort(cause, ErrorCode.CANCEL_STREAM_ERROR);
    }

    boolean isOpened() {
        return opened.get();
    }

    /** HTTP/1.1: capsules the agent sent right behind its request, read already by the HTTP parser. */
    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        if (BufferUtil.hasContent(buffer)) prefilled = BufferUtil.copy(buffer);
    }

    @Override
    public void onOpen() {
        super.onOpen();
        opened.set(true);
        Throwable aborted = abortedBy;
        if (aborted != null) {
            TunnelEndPoints.abort(getEndPoint(), aborted);
            return;
        }
        // A backstop only: the datagram-level timer below always expires first.
        getEndPoint().setIdleTimeout(TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos));
        lastDatagramNanos = System.nanoTime();
        scheduleIdleCheck(idleTimeoutNanos);
        writer.start();
        onFillable();
    }

    @Override
    public void onFillable() {
        ByteBuffer early = prefilled;
        if (early != null) {
            prefilled = null;
            if (!feed(early)) return;
        }
        RetainableByteBuffer buffer = pool.acquire(READ_BUFFER_SIZE, false);
        try {
            ByteBuffer bytes = buffer.getByteBuffer();
            while (true) {
                BufferUtil.clear(bytes);
                int filled = getEndPoint().fill(bytes);
                if (filled > 0) {
                    if (!feed(bytes)) return;
                } else if (filled == 0) {
                    fillInterested();
                    return;
                } else {
                    inputEnded();
                    return;
                }
            }
        } catch (Throwable x) {
            failed(x);
        } finally {
            buffer.release();
        }
    }

    /** Parses what was read; false once the flow was aborted (stop reading). */
    private boolean feed(ByteBuffer bytes) {
        try {
            parser.feed(bytes);
        } catch (CodecException e) {
            malformed(e);
        }
        return abortedBy == null;
    }

    @Override
    public void onCapsule(long type, ByteBuffer value) throws CodecException {
        DatagramPayload datagram = DatagramPayload.parse(value); // RFC 9297 §3.5: an empty value is malformed
        if (!datagram.isUdpPayload()) {
            counters.increment(UdpCounters.DROPPED_CONTEXT_ID); // RFC 9298 §4: no other context was registered
            return;
        }
        if (datagram.data().remaining() > MAX_PAYLOAD) {
            counters.increment(UdpCounters.DROPPED_OVERSIZE);
            return;
        }
        if (ended.get()) return; // the handler closed: the rest is drained unseen
        lastDatagramNanos = System.nanoTime();
        counters.increment(UdpCounters.DATAGRAMS_FROM_AGENT);
        try {
            listener.onDatagram(datagram.data());
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void onSkipped(long type, long length) {
        counters.increment(UdpCounters.CAPSULES_UNKNOWN); // RFC 9297 §3.2: unknown capsule types are skipped
    }

    /** The agent ended its side of the stream: cleanly between capsules, else the stream was malformed. */
    private void inputEnded() {
        if (!parser.atBoundary()) {
            malformed(new CodecException("the stream ended inside a capsule (RFC 9297 Section 3.3)"));
            return;
        }
        inputDone = true;
        if (ended.compareAndSet(false, true)) notifyClosed(null);
        writer.finish(); // ours ends too, after what is queued
    }

    private void malformed(CodecException e) {
        counters.increment(UdpCounters.CAPSULES_MALFORMED);
        // RFC 9297 §3.3: a malformed capsule makes the request malformed: a stream error (RFC 9113 §8.1.1).
        if (ended.compareAndSet(false, true)) notifyClosed(e);
        abort(e, ErrorCode.PROTOCOL_ERROR);
    }

    /** The stream broke under the flow (reset, connection lost, write failed, listener threw). */
    private void failed(Throwable cause) {
        if (ended.compareAndSet(false, true)) notifyClosed(cause);
        abort(cause, ErrorCode.CANCEL_STREAM_ERROR);
    }

    @Override
    public void onFillInterestedFailed(Throwable cause) {
        failed(cause);
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        idleExpired(timeout);
        return true;
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        Scheduler.Task check = idleCheck;
        if (check != null) check.cancel();
        writer.discard();
        if (ended.compareAndSet(false, true)) {
            notifyClosed(cause != null ? cause : new EofException("the flow's connection closed"));
        }
    }

    private void abort(Throwable cause, ErrorCode error) {
        if (abortedBy == null) abortedBy = cause;
        writer.discard();
        Scheduler.Task check = idleCheck;
        if (check != null) check.cancel();
        if (opened.get()) TunnelEndPoints.abort(getEndPoint(), cause, error);
    }

    private void scheduleIdleCheck(long delayNanos) {
        idleCheck = scheduler.schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** RFC 9298 §5 leaves the idle period to the proxy: here, no datagram either way for {@code udpIdleTimeout}. */
    private void checkIdle() {
        if (abortedBy != null || !getEndPoint().isOpen()) return;
        if (inputDone && writer.isOutputShut()) return; // ended both ways: nothing left to time out
        long limit = lingering ? Math.min(idleTimeoutNanos, LINGER_NANOS) : idleTimeoutNanos;
        long left = lastDatagramNanos + limit - System.nanoTime();
        if (left > 0) {
            scheduleIdleCheck(left);
            return;
        }
        idleExpired(new TimeoutException("no datagram either way for "
                + TimeUnit.NANOSECONDS.toMillis(limit) + " ms"));
    }

    private void idleExpired(TimeoutException timeout) {
        if (ended.compareAndSet(false, true)) {
            counters.increment(UdpCounters.FLOWS_IDLE_CLOSED);
            notifyClosed(timeout);
        }
        abort(timeout, ErrorCode.CANCEL_STREAM_ERROR);
    }

    private void notifyClosed(Throwable cause) {
        try {
            listener.onClose(cause);
        } catch (RuntimeException ignored) {
            // the handler's failure to clean up is its own; the flow is gone either way
        }
    }
}
