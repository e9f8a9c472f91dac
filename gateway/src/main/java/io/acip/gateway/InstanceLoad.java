package io.acip.gateway;

import io.acip.control.RouteAttributes;
import io.acip.node.Session;
import io.acip.node.SessionHandler;
import io.acip.wire.ResetCode;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CATS metrics of one attached instance (docs/acip-v0.md §12.3, refs/003 §4.3), which its gateway announces:
 * LOAD, the sessions in flight per mille of the configured capacity, and LATENCY_MS, the origin's time to a response
 * head, smoothed. Read on the node's loop by the control plane's sampling, written from any thread.
 */
final class InstanceLoad {
    /** Weight of the newest latency sample in the moving average. */
    private static final double SMOOTHING = 0.2;

    private final int capacity;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile double latencyMs = -1;

    InstanceLoad(int capacity) {
        this.capacity = capacity;
    }

    /** The route attributes of an instance with {@code region} and {@code attributes}, metrics as measured now. */
    RouteAttributes attributes(String region, Map<String, String> attributes) {
        long load = inFlight.get() * 1000L / capacity;
        double latency = latencyMs;
        return new RouteAttributes(RouteAttributes.ORIGIN_ATTACHED, region, attributes, load,
                latency < 0 ? -1 : Math.round(latency));
    }

    /** One origin answered with its head {@code nanos} after the exchange reached it. */
    void latency(long nanos) {
        double ms = nanos / (double) TimeUnit.MILLISECONDS.toNanos(1);
        double before = latencyMs;
        latencyMs = before < 0 ? ms : before + SMOOTHING * (ms - before); // racing writers lose a sample at worst
    }

    /** {@code handler}'s session counts as in flight until it closes or is reset. */
    SessionHandler track(SessionHandler handler) {
        return new Tracked(handler, begin());
    }

    /** One more in flight, until the returned action runs (at most once counts). */
    Runnable begin() {
        inFlight.incrementAndGet();
        AtomicBoolean ended = new AtomicBoolean();
        return () -> {
            if (ended.compareAndSet(false, true)) inFlight.decrementAndGet();
        };
    }

    private static final class Tracked implements SessionHandler {
        private final SessionHandler handler;
        private final Runnable end;

        Tracked(SessionHandler handler, Runnable end) {
            this.handler = handler;
            this.end = end;
        }

        private void end() {
            end.run();
        }

        @Override
        public void onOpen(Session session) {
            handler.onOpen(session);
        }

        @Override
        public void onData(Session session, ByteBuf data, boolean fin) {
            handler.onData(session, data, fin);
        }

        @Override
        public void onDatagram(Session session, ByteBuf payload) {
            handler.onDatagram(session, payload);
        }

        @Override
        public void onReset(Session session, ResetCode code, String detail) {
            end();
            handler.onReset(session, code, detail);
        }

        @Override
        public void onClose(Session session) {
            end();
            handler.onClose(session);
        }

        @Override
        public void onWritabilityChanged(Session session, boolean writable) {
            handler.onWritabilityChanged(session, writable);
        }

        @Override
        public java.util.List<io.acip.wire.Tlv> setupAckMetadata() {
            return handler.setupAckMetadata();
        }
    }
}
