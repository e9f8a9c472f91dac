package io.acip.gateway.origin;

import io.acip.capsule.proxystatus.ProxyErrorType;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The three timeouts of one origin exchange, on the client's scheduler (no thread waits on them): connect (until a
 * connection carries the request), first byte (from the request's end to the response head) and idle (longest
 * silence while content flows either way). Expiry aborts the request, once, with an {@link OriginException} carrying
 * the RFC 9209 answer.
 */
final class OriginTimers {
    private enum Phase { CONNECTING, SENDING, AWAITING_HEAD, RECEIVING, DONE }

    private final Scheduler scheduler;
    private final OriginConfig config;
    private final long idleNanos;
    private volatile long lastActivity = System.nanoTime();
    private Phase phase = Phase.CONNECTING;
    private Request request;
    private Scheduler.Task connect;
    private Scheduler.Task firstByte;
    private Scheduler.Task idle;

    OriginTimers(Scheduler scheduler, OriginConfig config) {
        this.scheduler = scheduler;
        this.config = config;
        this.idleNanos = config.idleTimeout().toNanos();
    }

    /** The request is handed to the client: the connect timer starts. */
    synchronized void sending(Request request) {
        if (phase != Phase.CONNECTING) return;
        this.request = request;
        connect = scheduler.schedule(() -> expire(ProxyErrorType.CONNECTION_TIMEOUT,
                "no connection to the origin within " + config.connectTimeout().toMillis() + " ms"),
                config.connectTimeout());
    }

    /** A connection took the request: the connect timer stops, the idle timer starts. */
    synchronized void connected() {
        if (phase != Phase.CONNECTING) return;
        cancel(connect);
        phase = Phase.SENDING;
        activity();
        idle = scheduler.schedule(this::checkIdle, idleNanos, TimeUnit.NANOSECONDS);
    }

    /** The request went out in full: until the head, silence is the first-byte timer's business. */
    synchronized void requestSent() {
        if (phase != Phase.SENDING) return;
        phase = Phase.AWAITING_HEAD;
        firstByte = scheduler.schedule(() -> expire(ProxyErrorType.HTTP_RESPONSE_TIMEOUT,
                "origin sent no response within " + config.firstByteTimeout().toMillis() + " ms"),
                config.firstByteTimeout());
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
                idle = scheduler.schedule(this::checkIdle, next, TimeUnit.NANOSECONDS);
                return;
            }
        }
        expire(now == Phase.SENDING ? ProxyErrorType.CONNECTION_WRITE_TIMEOUT : ProxyErrorType.CONNECTION_READ_TIMEOUT,
                "no content moved for " + config.idleTimeout().toMillis() + " ms");
    }

    private void expire(ProxyErrorType type, String detail) {
        Request expired;
        synchronized (this) {
            if (phase == Phase.DONE) return;
            cancel();
            expired = request;
        }
        expired.abort(new OriginException(OriginFailures.answer(type, detail)));
    }

    private static void cancel(Scheduler.Task task) {
        if (task != null) task.cancel();
    }
}
