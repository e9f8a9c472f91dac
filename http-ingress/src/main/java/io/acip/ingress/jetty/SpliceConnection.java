package io.acip.ingress.jetty;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * One side of a spliced tunnel: reads its own endpoint and writes what it read to its peer's, one buffer at a time,
 * reading again only once the peer's write completed (so a slow side slows the other down). End of input becomes a
 * half-close of the peer's output; a failure on either side closes both.
 *
 * <p>The side whose connection is installed last (the agent's, which Jetty installs after the 200 left) starts both
 * directions when it opens: nothing may reach the agent before the 200 does.
 */
final class SpliceConnection extends AbstractConnection implements Connection.UpgradeTo {
    private final ByteBufferPool pool;
    private final int bufferSize;
    private final String direction;
    private final IngressCounters counters;
    private final boolean startsOnOpen;
    private final Pump pump = new Pump();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile SpliceConnection peer;
    private volatile ByteBuffer prefilled;
    private volatile Runnable onOpened = () -> { };

    /**
     * @param direction counter scope for the bytes this side reads, e.g. {@code ingress.tunnel.direct.up}
     * @param startsOnOpen whether opening this side starts the splice (true for the side installed last)
     */
    SpliceConnection(EndPoint endPoint, Executor executor, ByteBufferPool pool,
                     int bufferSize, String direction, IngressCounters counters, boolean startsOnOpen) {
        super(endPoint, executor);
        this.pool = pool;
        this.bufferSize = bufferSize;
        this.direction = direction;
        this.counters = counters;
        this.startsOnOpen = startsOnOpen;
    }

    /** Joins two sides; call before either is opened. */
    static void pair(SpliceConnection a, SpliceConnection b) {
        a.peer = b;
        b.peer = a;
    }

    /** Runs once this side is open (e.g. to cancel a timer that guards against it never opening). */
    void onOpened(Runnable action) {
        this.onOpened = action;
    }

    /** Bytes the agent sent right behind its CONNECT, read already by the HTTP/1.1 parser. */
    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        if (BufferUtil.hasContent(buffer)) {
            prefilled = BufferUtil.copy(buffer);
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        onOpened.run();
        if (startsOnOpen) {
            start();
            peer.start();
        }
    }

    private void start() {
        if (!started.compareAndSet(false, true)) return;
        if (prefilled != null) {
            pump.iterate();
        } else {
            fillInterested();
        }
    }

    @Override
    public void onFillable() {
        pump.iterate();
    }

    @Override
    public void onFillInterestedFailed(Throwable cause) {
        closeBoth(cause);
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        counters.increment("ingress.tunnel.idle_timeout");
        closeBoth(timeout);
        return true;
    }

    /**
     * A close without a cause follows both half-closes, which the pumps pass on themselves; a close with a cause
     * (failure, idle timeout) ends the other side too. Closing an HTTP/2 stream's endpoint while its END_STREAM is
     * still being sent would leave the stream in its session, so a clean end is never turned into a close here.
     */
    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        SpliceConnection other = peer;
        if (cause != null && other != null && other.getEndPoint().isOpen()) {
            TunnelEndPoints.abort(other.getEndPoint(), cause);
        }
    }

    private void closeBoth(Throwable cause) {
        TunnelEndPoints.abort(getEndPoint(), cause);
        SpliceConnection other = peer;
        if (other != null) TunnelEndPoints.abort(other.getEndPoint(), cause);
    }

    private final class Pump extends IteratingCallback {
        private RetainableByteBuffer buffer;

        @Override
        protected Action process() throws Throwable {
            ByteBuffer early = prefilled;
            if (early != null) {
                prefilled = null;
                counters.add(direction + ".bytes", early.remaining());
                peer.getEndPoint().write(this, early);
                return Action.SCHEDULED;
            }
            buffer = pool.acquire(bufferSize, true);
            int filled;
            try {
                filled = getEndPoint().fill(buffer.getByteBuffer());
            } catch (Throwable x) {
                releaseBuffer();
                throw x;
            }
            if (filled > 0) {
                counters.add(direction + ".bytes", filled);
                peer.getEndPoint().write(this, buffer.getByteBuffer());
                return Action.SCHEDULED;
            }
            releaseBuffer();
            if (filled == 0) {
                fillInterested();
                return Action.IDLE;
            }
            // RFC 9110 §9.3.6: a half-close travels through the tunnel as a half-close. After both, sockets and
            // in-memory endpoints close themselves and Jetty retires an HTTP/2 stream once END_STREAM went both ways.
            peer.getEndPoint().shutdownOutput();
            return Action.SUCCEEDED;
        }

        @Override
        protected void onSuccess() {
            releaseBuffer();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            releaseBuffer();
            counters.increment(direction + ".failed");
            closeBoth(cause);
        }

        private void releaseBuffer() {
            RetainableByteBuffer b = buffer;
            buffer = null;
            if (b != null) b.release();
        }
    }
}
