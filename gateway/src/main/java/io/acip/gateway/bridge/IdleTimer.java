package io.acip.gateway.bridge;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * "Idle for this long" on one event loop, for sessions that go busy and idle again with every exchange: restarting it
 * notes the time and arms a task only when none is armed, and going busy only says so; the task, when it fires,
 * waits out what is left or calls {@code onIdle}. A schedule and a cancel per exchange would be two operations on the
 * loop's timer queue, whose cost grows with the sessions it holds. Loop-confined.
 */
final class IdleTimer {
    private final EventLoop loop;
    private final long limitNanos;
    private final Runnable onIdle;
    private ScheduledFuture<?> task;
    private long since;
    private boolean busy;

    IdleTimer(EventLoop loop, long limitNanos, Runnable onIdle) {
        this.loop = loop;
        this.limitNanos = limitNanos;
        this.onIdle = onIdle;
    }

    /** Idle from now: {@code onIdle} runs after the limit unless {@link #busy()} or restarted meanwhile. */
    void restart() {
        busy = false;
        since = System.nanoTime();
        if (task == null) task = loop.schedule(this::fire, limitNanos, TimeUnit.NANOSECONDS);
    }

    /** Not idle until the next {@link #restart()}. */
    void busy() {
        busy = true;
    }

    /** Never again (the session ended). */
    void stop() {
        busy = true;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void fire() {
        task = null;
        if (busy) return;
        long left = limitNanos - (System.nanoTime() - since);
        if (left > 0) {
            task = loop.schedule(this::fire, left, TimeUnit.NANOSECONDS);
        } else {
            onIdle.run();
        }
    }
}
