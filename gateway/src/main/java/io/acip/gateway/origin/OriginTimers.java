package io.acip.gateway.origin;

import io.acip.capsule.proxystatus.ProxyErrorType;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The three timeouts of one origin exchange, on a hashed wheel (no thread waits on them, and arming or cancelling one
 * takes no lock and wakes no thread, unlike a scheduled executor: three of each per exchange): connect (until a
 * connection carries the request), first byte (from the request's end to the response head) and idle (longest
 * silence while content flows either way). Expiry aborts the request, once, with an {@link OriginException} carrying
 * the RFC 9209 answer.
 */
final class OriginTimers {
    /**
     * One wheel for the process: 10 ms ticks are far finer than any origin timeout (at least 100 ms), and its one
     * daemon thread sleeps between ticks.
     */
    static final Timer WHEEL = new HashedWheelTimer(new DefaultThreadFactory("origin-timeouts", true), 10,
            TimeUnit.MILLISECONDS, 512);

    private enum Phase { CONNECTING, SENDING, AWAITING_HEAD, RECEIVING, DONE }

    private final Timer wheel;
    private final OriginConfig config;
    private final long idleNanos;
    private volatile long lastActivity = System.nanoTime();
    private Phase phase = Phase.CONNECTING;
    private Consumer<Throwable> abort;
    private Timeout connect;
    private Timeout firstByte;
    private Timeout idle;

    OriginTimers(Timer wheel, OriginConfig config) {
        this.wheel = wheel;
        this.config = config;
        this.idleNanos = config.idleTimeout().toNanos();
    }

    /** The request is handed to the client: the connect timer starts; expiry aborts through {@code abort}. */
    synchronized void sending(Consumer<Throwable> abort) {
        if (phase != Phase.CONNECTING) return;
        this.abort = abort;
        connect = after(config.connectTimeout().toNanos(), () -> expire(ProxyErrorType.CONNECTION_TIMEOUT,
                "no connection to the origin within " + config.connectTimeout().toMillis() + " ms"));
    }

    /** A connection took the request: the connect timer stops, the idle timer starts. */
    synchronized void connected() {
        if (phase != Phase.CONNECTING) return;
        cancel(connect);
        phase = Phase.SENDING;
        activity();
        idle = after(idleNanos, this::checkIdle);
    }

    /** The request went out in full: until the head, silence is the first-byte timer's business. */
    synchronized void requestSent() {
        if (phase != Phase.SENDING) return;
        phase = Phase.AWAITING_HEAD;
        firstByte = after(config.firstByteTimeout().toNanos(), () -> expire(ProxyErrorType.HTTP_RESPONSE_TIMEOUT,
                "origin sent no response within " + config.firstByteTimeout().toMillis() + " ms"));
    }

    /** The response began (possibly while the request is still being sent). */
    synchronized void responseBegun() {
        if (phase == Phase.DONE) return;
        cancel(connect);
        cancel(firstByte);
        phase = Phase.RECEIVING;
        activity();
    }

    /** Content moved: read from the agent, read from the origin, or written to the agent. */
    void activity() {
        lastActivity = System.nanoTime();
    }

    synchronized void cancel() {
        phase = Phase.DONE;
        cancel(connect);
        cancel(firstByte);
        cancel(idle);
    }

    private void checkIdle() {
        long silent = System.nanoTime() - lastActivity;
        Phase now;
        synchronized (this) {
            now = phase;
            if (now == Phase.DONE) return;
            if (now == Phase.AWAITING_HEAD || silent < idleNanos) {
                long next = now == Phase.AWAITING_HEAD ? idleNanos : idleNanos - silent;
                idle = after(next, this::checkIdle);
                return;
            }
        }
        expire(now == Phase.SENDING ? ProxyErrorType.CONNECTION_WRITE_TIMEOUT : ProxyErrorType.CONNECTION_READ_TIMEOUT,
                "no content moved for " + config.idleTimeout().toMillis() + " ms");
    }

    private void expire(ProxyErrorType type, String detail) {
        Consumer<Throwable> expired;
        synchronized (this) {
            if (phase == Phase.DONE) return;
            cancel();
            expired = abort;
        }
        expired.accept(new OriginException(OriginFailures.answer(type, detail)));
    }

    private Timeout after(long nanos, Runnable task) {
        return wheel.newTimeout(t -> task.run(), nanos, TimeUnit.NANOSECONDS);
    }

    private static void cancel(Timeout task) {
        if (task != null) task.cancel();
    }
}
