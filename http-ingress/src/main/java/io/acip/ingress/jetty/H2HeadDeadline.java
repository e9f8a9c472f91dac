package io.acip.ingress.jetty;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.frames.FrameType;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * One HTTP/2 connection's head deadline: the client's preface and first SETTINGS (RFC 9113 §3.4), then each header
 * block from its HEADERS frame to the frame that carries END_HEADERS (§4.3), must arrive whole within the timeout.
 * Past it the connection gets GOAWAY ENHANCE_YOUR_CALM and is closed: a header block cannot be abandoned alone, since
 * the HPACK state it would leave behind is shared by the whole connection (§4.3), and Jetty opens no stream before
 * the block is complete, so there is no stream to reset. One task on Jetty's scheduler, only while a head is late
 * enough to be still in progress after a read; a head that arrives within one read costs no task.
 */
final class H2HeadDeadline {
    static final String TIMED_OUT = "ingress.h2.head_timeout";

    private final Scheduler scheduler;
    private final long timeoutNanos;
    private final IngressCounters counters;
    private HTTP2Session session;
    private boolean prefaceAwaited = true;
    /** System.nanoTime() when the awaited head began; 0 while none is awaited. */
    private long since;
    private Scheduler.Task task;

    H2HeadDeadline(Scheduler scheduler, Duration timeout, IngressCounters counters) {
        this.scheduler = scheduler;
        this.timeoutNanos = timeout.toNanos();
        this.counters = counters;
    }

    /** The connection is open: the preface is awaited from now, unless it came first (an h2c upgrade's can). */
    synchronized void opened(HTTP2Session session) {
        this.session = session;
        if (!prefaceAwaited || since != 0) return;
        since = nonZero(System.nanoTime());
        schedule();
    }

    /** A frame header was read. */
    synchronized void frameBegun(int type) {
        if (type == FrameType.HEADERS.getType() && since == 0) since = nonZero(System.nanoTime());
    }

    /** A whole frame was read. */
    synchronized void frameParsed(int type, boolean endHeaders) {
        if (prefaceAwaited && type == FrameType.SETTINGS.getType()) {
            prefaceAwaited = false;
            clear();
        } else if (endHeaders && (type == FrameType.HEADERS.getType() || type == FrameType.CONTINUATION.getType())) {
            clear();
        }
    }

    /** What was read is parsed: a head still in progress now gets its timer. */
    synchronized void readParsed() {
        if (since != 0 && task == null) schedule();
    }

    synchronized void closed() {
        clear();
    }

    private void schedule() {
        long left = since + timeoutNanos - System.nanoTime();
        task = scheduler.schedule(this::expire, Math.max(0, left), TimeUnit.NANOSECONDS);
    }

    private void clear() {
        since = 0;
        if (task != null) {
            task.cancel();
            task = null;
        }
    }

    private void expire() {
        HTTP2Session expired;
        synchronized (this) {
            task = null;
            if (since == 0) return; // the head arrived as the timer fired
            if (System.nanoTime() - (since + timeoutNanos) < 0) {
                schedule(); // a later head than the one this task was for
                return;
            }
            since = 0;
            expired = session;
        }
        if (expired == null) return; // parsed before its connection opened, and closed since
        counters.increment(TIMED_OUT);
        // Jetty waits for the peer's answer to a GOAWAY it sends; this peer is not answering, so the connection closes.
        expired.close(ErrorCode.ENHANCE_YOUR_CALM_ERROR.code, "request_head_timeout",
                Callback.from(() -> expired.getEndPoint().close(), x -> expired.getEndPoint().close(x)));
    }

    private static long nonZero(long nanoTime) {
        return nanoTime == 0 ? 1 : nanoTime;
    }
}
