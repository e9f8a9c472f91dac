package io.acip.bench.footprint;

import io.acip.node.Node;
import io.acip.node.Session;
import io.acip.node.SessionHandler;
import io.acip.node.SessionRequest;
import io.acip.wire.ResetCode;
import io.acip.wire.SkillName;
import io.netty.buffer.Unpooled;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * Idle connection-mode sessions an initiator node opens to a skill, a bounded number in flight, and ends again with
 * FIN. One handler serves them all, so the initiator's application adds nothing per session but its slot here.
 */
public final class IdleSessions {
    /** Longest wait on any one event: a free slot, the last SETUP_ACKs, the last CLOSEs. */
    static final long WAIT_SECONDS = 60;

    private final Node node;
    private final SkillName skill;
    /** The open sessions; sized before the baseline is taken, so the slots are not counted as session state. */
    private final Session[] sessions;
    private final AtomicInteger filled = new AtomicInteger();
    private final LongAdder opened = new LongAdder();
    private final Map<String, Integer> refused = new ConcurrentHashMap<>();
    private final LongAdder resetAfterOpen = new LongAdder();
    private final Semaphore inFlight = new Semaphore(0);
    private final Semaphore ended = new Semaphore(0);
    private final SessionHandler handler = new SessionHandler() {
        @Override
        public void onOpen(Session s) {
            sessions[filled.getAndIncrement()] = s; // only these: the bench holds no session the node refused
            opened.increment();
            inFlight.release();
        }

        @Override
        public void onClose(Session s) {
            ended.release();
        }

        @Override
        public void onReset(Session s, ResetCode code, String detail) {
            // A session that was open knows its path; one refused at setup does not.
            if (s.trajectory().isEmpty()) {
                refused.merge(code.token() + ": " + detail.replaceAll("\\d+", "N"), 1, Integer::sum);
                inFlight.release();
            } else {
                resetAfterOpen.increment();
                ended.release();
            }
        }
    };

    public IdleSessions(Node node, SkillName skill, int capacity) {
        this.node = node;
        this.skill = skill;
        this.sessions = new Session[capacity];
    }

    /** What an open call achieved. */
    public record Result(int asked, long opened, Map<String, Integer> refused, double seconds) {
    }

    /**
     * Opens {@code count} sessions, at most {@code window} unanswered at once, and returns when every one was
     * answered. {@code progress} hears the number asked for after each window's worth.
     */
    public Result open(int count, int window, IntConsumer progress) throws InterruptedException {
        if (filled.get() + count > sessions.length) {
            throw new IllegalArgumentException(count + " sessions more, room for " + (sessions.length - filled.get()));
        }
        long start = System.nanoTime();
        long openedBefore = opened.sum();
        refused.clear();
        inFlight.release(window);
        for (int i = 0; i < count; i++) {
            if (!inFlight.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(window + " sessions unanswered for " + WAIT_SECONDS + " s after "
                        + i + " asked");
            }
            node.open(SessionRequest.stream(skill, "agent://footprint"), handler);
            if ((i + 1) % window == 0) progress.accept(i + 1);
        }
        if (!inFlight.tryAcquire(window, WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the last sessions were not answered within " + WAIT_SECONDS + " s");
        }
        return new Result(count, opened.sum() - openedBefore, new TreeMap<>(refused),
                (System.nanoTime() - start) / 1e9);
    }

    /** Sessions reset after they were open (idle timeout, link down): none, if the measurement is sound. */
    public long resetAfterOpen() {
        return resetAfterOpen.sum();
    }

    /**
     * Ends every open session with FIN (the responder answers with FIN, then CLOSE) and returns how many had not ended
     * within {@link #WAIT_SECONDS} of the last end. {@code progress} hears how many are left after each window's worth.
     */
    public int endAll(int window, IntConsumer progress) throws InterruptedException {
        ended.drainPermits(); // sessions reset while idle ended before
        int open = 0;
        for (int i = 0; i < filled.get(); i++) {
            Session s = sessions[i];
            sessions[i] = null;
            if (s.isOpen()) {
                open++;
                s.write(Unpooled.EMPTY_BUFFER, true);
            }
        }
        filled.set(0);
        int waiting = open;
        while (waiting > 0 && ended.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
            if (--waiting % window == 0) progress.accept(waiting);
        }
        return waiting;
    }
}
