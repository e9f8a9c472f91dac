package io.acip.ingress.jetty;

import io.acip.capsule.bhttp.Fields;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.BodySource;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.Tunnel;
import io.acip.ingress.WriteCallback;
import java.nio.ByteBuffer;
import java.nio.channels.ReadPendingException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * A CONNECT tunnel the handler carries itself ({@code TunnelDecision.Carry}): the connection Jetty installs on the
 * tunnel's endpoint once the 200 has left (the HTTP/1.1 socket, or the HTTP/2 stream's own endpoint, since a
 * CONNECT stream's {@code Request.read()} returns nothing). The agent's bytes are read only when the handler demands
 * them; writes toward the agent complete when the endpoint's write does.
 */
final class CarriedTunnel extends AbstractConnection implements Tunnel, Connection.UpgradeTo {
    private final ConnectRequest request;
    private final Object attachment;
    private final IngressHandler handler;
    private final ByteBufferPool pool;
    private final int bufferSize;
    private final long idleTimeoutMillis;
    private final IngressCounters counters;
    private final Upstream upstream = new Upstream();
    private final AtomicReference<Runnable> demand = new AtomicReference<>();
    private final AtomicBoolean handedOver = new AtomicBoolean();
    private volatile ByteBuffer prefilled;
    private volatile Throwable closedBy;
    private volatile Throwable abandoned; // set when the agent left before Jetty installed this connection

    CarriedTunnel(EndPoint endPoint, Executor executor, ByteBufferPool pool, int bufferSize, long idleTimeoutMillis,
                  ConnectRequest request, Object attachment, IngressHandler handler, IngressCounters counters) {
        super(endPoint, executor);
        this.request = request;
        this.attachment = attachment;
        this.handler = handler;
        this.pool = pool;
        this.bufferSize = bufferSize;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.counters = counters;
    }

    @Override
    public ConnectRequest request() {
        return request;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public BodySource upstream() {
        return upstream;
    }

    @Override
    public void downstream(ByteBuffer data, boolean last, WriteCallback done) {
        Throwable gone = abandoned;
        if (gone != null) {
            done.done(gone);
            return;
        }
        if (!BufferUtil.hasContent(data)) {
            if (last) shutdownOutput();
            done.done(null);
            return;
        }
        int length = data.remaining();
        Callback written = Callback.from(() -> {
            counters.add("ingress.tunnel.carry.down.bytes", length);
            if (last) shutdownOutput(); // RFC 9110 §9.3.6: half-close travels as half-close
            done.done(null);
        }, failure -> {
            counters.increment("ingress.tunnel.carry.down.failed");
            done.done(failure);
        });
        try {
            getEndPoint().write(written, data);
        } catch (RuntimeException e) {
            written.failed(e);
        }
    }

    /** After both half-closes a socket closes itself and Jetty retires an HTTP/2 stream: no explicit close. */
    private void shutdownOutput() {
        getEndPoint().shutdownOutput();
    }

    @Override
    public void abort(Throwable cause) {
        counters.increment("ingress.tunnel.carry.aborted");
        if (abandoned == null) TunnelEndPoints.abort(getEndPoint(), cause);
    }

    /**
     * The agent went away before Jetty installed this connection (it never will): the handler still gets the tunnel,
     * already failed, so that whatever it set up for it in {@code onConnect} is released on its usual failure path.
     */
    void abandon(Throwable cause) {
        if (!handedOver.compareAndSet(false, true)) return;
        abandoned = cause;
        counters.increment("ingress.tunnel.never_opened");
        handOver();
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        if (BufferUtil.hasContent(buffer)) prefilled = BufferUtil.copy(buffer);
    }

    @Override
    public void onOpen() {
        super.onOpen();
        if (!handedOver.compareAndSet(false, true)) {
            TunnelEndPoints.abort(getEndPoint(), abandoned); // too late: the handler was told it failed
            return;
        }
        getEndPoint().setIdleTimeout(idleTimeoutMillis);
        handOver();
    }

    /** Whether Jetty installed the connection, or it was given up. */
    boolean handedOver() {
        return handedOver.get();
    }

    private void handOver() {
        try {
            handler.onTunnel(this);
        } catch (Throwable t) {
            counters.increment("ingress.tunnel.carry.handler_failed");
            abort(t);
        }
    }

    @Override
    public void onFillable() {
        fireDemand();
    }

    @Override
    public void onFillInterestedFailed(Throwable cause) {
        closedBy = cause;
        fireDemand();
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        counters.increment("ingress.tunnel.idle_timeout");
        TunnelEndPoints.abort(getEndPoint(), timeout); // an HTTP/2 stream is reset, not just dropped
        return true;
    }

    @Override
    public void onClose(Throwable cause) {
        closedBy = cause != null ? cause : new EofException("tunnel closed");
        super.onClose(cause);
        fireDemand(); // a reader waiting for bytes learns the tunnel is gone
    }

    private void fireDemand() {
        Runnable r = demand.getAndSet(null);
        if (r != null) r.run();
    }

    /** The agent's bytes, read off the endpoint one buffer at a time and only on demand. */
    private final class Upstream implements BodySource {
        private volatile boolean ended;

        @Override
        public BodyChunk read() {
            Throwable gone = abandoned;
            if (gone != null) return BodyChunk.failed(gone); // the endpoint is not ours to read
            ByteBuffer early = prefilled;
            if (early != null) {
                prefilled = null;
                counters.add("ingress.tunnel.carry.up.bytes", early.remaining());
                return BodyChunk.of(early, false, () -> { });
            }
            if (ended) return null;
            RetainableByteBuffer buffer = pool.acquire(bufferSize, true);
            int filled;
            try {
                filled = getEndPoint().fill(buffer.getByteBuffer());
            } catch (Throwable x) {
                buffer.release();
                ended = true;
                return BodyChunk.failed(x);
            }
            if (filled > 0) {
                counters.add("ingress.tunnel.carry.up.bytes", filled);
                AtomicBoolean released = new AtomicBoolean();
                return BodyChunk.of(buffer.getByteBuffer(), false, () -> {
                    if (released.compareAndSet(false, true)) buffer.release();
                });
            }
            buffer.release();
            if (filled < 0) {
                ended = true;
                return BodyChunk.end(Fields.EMPTY);
            }
            Throwable closed = closedBy;
            if (closed != null) {
                ended = true;
                return BodyChunk.failed(closed);
            }
            return null;
        }

        @Override
        public void demand(Runnable onAvailable) {
            if (prefilled != null || closedBy != null || abandoned != null || ended) {
                onAvailable.run();
                return;
            }
            if (demand.getAndSet(onAvailable) == null) {
                try {
                    fillInterested();
                } catch (ReadPendingException alreadyInterested) {
                    // the earlier interest fires the newest demand
                }
            }
        }

        @Override
        public void abort(Throwable cause) {
            CarriedTunnel.this.abort(cause);
        }
    }
}
