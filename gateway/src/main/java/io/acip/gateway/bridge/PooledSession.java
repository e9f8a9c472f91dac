package io.acip.gateway.bridge;

import io.acip.node.Session;
import io.acip.node.SessionHandler;
import io.acip.node.SessionRequest;
import io.acip.routing.NextHop;
import io.acip.routing.Route;
import io.acip.wire.Exchanges;
import io.acip.wire.ResetCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;

/**
 * An edge's session as its exchanges see it (docs/acip-v0.md §13): it hands the session's events to the exchange
 * riding it now, and, between exchanges, waits in its pool until the next one takes it, its idle time runs out or
 * the responder ends it. A session whose responder did not accept the offer carries its one exchange and ends.
 * Everything but {@link #carryNext} runs on the session's event loop.
 */
final class PooledSession implements SessionHandler {
    /**
     * How long a session over a less preferred next hop carries exchanges before the next one tries the preferred
     * hop again: short enough that traffic returns soon after it recovers, long enough that a primary that keeps
     * refusing costs one extra SETUP attempt every few seconds, not one per exchange.
     */
    static final Duration FALLBACK_RECHECK = Duration.ofSeconds(5);
    private final SessionPool pool;
    final SessionPool.Key key;
    private final SessionRequest request;
    private final Route route;
    private final long linkUps;
    private Session session;
    private EdgeExchange current;
    private boolean sequence;
    private Duration idleLimit;
    private boolean ended;
    private boolean responderFinished;
    private int carried = 1;
    private long openedNanos;
    /** Opened over a next hop its route prefers less than another (the preferred one refused or was down then). */
    private boolean fallback;
    private IdleTimer idleTimer;

    PooledSession(SessionPool pool, SessionPool.Key key, SessionRequest request, EdgeExchange first) {
        this.pool = pool;
        this.key = key;
        this.request = request;
        this.current = first;
        this.route = route();
        this.linkUps = pool.node().linkUps();
        first.carriedBy(this);
    }

    private Route route() {
        return pool.node().routes().lookup(key.tenant(), request.skill()).orElse(null);
    }

    /**
     * Whether a new SETUP would still start out the way this session's did: its route is the same (routes are
     * replaced whole when a hop, a metric or a learned path is announced, so sessions spread again over equal hops),
     * no link came up since (a better path may be back), and, when it runs over a less preferred next hop, it is
     * younger than {@link #FALLBACK_RECHECK}, after which a new SETUP tries the preferred one again. Otherwise the
     * next exchange opens a session of its own, routed as things are now.
     */
    boolean onCurrentPath() {
        return route() == route && pool.node().linkUps() == linkUps
                && !(fallback && System.nanoTime() - openedNanos > FALLBACK_RECHECK.toNanos());
    }

    /**
     * Whether a session with {@code trajectory} left this node by a next hop of lower priority than the route's best:
     * the best one refused its SETUP or was down, and nothing in the route need change when it is back.
     */
    static boolean fallback(Route route, java.util.List<String> trajectory) {
        if (route == null || trajectory.size() < 2) return false;
        int best = Integer.MAX_VALUE;
        for (NextHop h : route.hops()) best = Math.min(best, h.priority());
        for (NextHop h : route.hops()) {
            if (h instanceof NextHop.Neighbour n && n.nodeId().equals(trajectory.get(1))) return n.priority() > best;
        }
        return false;
    }

    /** The responder accepted: this session carries a sequence of exchanges. */
    boolean sequence() {
        return sequence;
    }

    @Override
    public void onOpen(Session s) {
        session = s;
        openedNanos = System.nanoTime();
        fallback = fallback(route, s.trajectory());
        Duration responderIdle = Exchanges.accepted(s.setupAck()).orElse(null);
        sequence = responderIdle != null;
        if (sequence) {
            Duration half = responderIdle.dividedBy(2); // §13.3: never race the responder's end of an idle session
            idleLimit = half.compareTo(pool.settings().idleTimeout()) < 0 ? half : pool.settings().idleTimeout();
        }
        current.onOpen(s);
    }

    @Override
    public void onData(Session s, ByteBuf data, boolean fin) {
        if (fin) responderFinished = true; // before the exchange hears it: it must not hand the session back
        EdgeExchange e = current;
        if (e == null) {
            if (data.isReadable()) {
                s.reset(ResetCode.PROTOCOL_VIOLATION, "response bytes while no exchange is in progress (§13.2)");
            } else if (fin) {
                end(); // the responder ended the session between exchanges: this end's FIN, then its CLOSE
            }
            return;
        }
        if (fin && !data.isReadable() && e.replayable()) {
            // §13.3: the responder ended the session before reading the request: it was never processed, so it goes
            // again, whole, on a session of its own.
            current = null;
            end();
            pool.node().stats().inc("gateway.pool.retried");
            pool.open(key, request, e);
            return;
        }
        e.onData(s, data, fin);
    }

    @Override
    public void onReset(Session s, ResetCode code, String detail) {
        if (session == null) session = s;
        forget();
        EdgeExchange e = current;
        current = null;
        if (e != null) e.onReset(s, code, detail);
    }

    @Override
    public void onClose(Session s) {
        forget();
        EdgeExchange e = current;
        current = null;
        if (e != null) e.onClose(s);
    }

    @Override
    public void onWritabilityChanged(Session s, boolean writable) {
        if (current != null) current.onWritabilityChanged(s, writable);
    }

    /** {@code e}'s response arrived whole after its request went whole: the next exchange may ride (§13.2). */
    void exchangeDone(EdgeExchange e) {
        if (current != e) return;
        current = null;
        PoolSettings p = pool.settings();
        if (ended || responderFinished || carried >= p.maxExchanges()
                || System.nanoTime() - openedNanos > p.maxAge().toNanos() || !pool.offer(this)) {
            end();
            return;
        }
        if (idleTimer == null) {
            idleTimer = new IdleTimer(session.eventLoop(), idleLimit.toNanos(), () -> {
                if (current == null && !ended && pool.remove(this)) end(); // still idle: nobody took it meanwhile
            });
        }
        idleTimer.restart();
    }

    /** {@code e} leaves the session unusable (§13.3): it is reset without {@code e} hearing of it. */
    void abandon(EdgeExchange e, String why) {
        if (current == e) current = null;
        session.reset(ResetCode.CANCELLED, why);
    }

    /** The loop the session lives on (known once it is open, which it is while idle in the pool). */
    io.netty.channel.EventLoop loop() {
        return session.eventLoop();
    }

    /** Taken from the pool, on any thread: {@code e} rides this session next, on its loop. */
    void carryNext(EdgeExchange e) {
        session.eventLoop().execute(() -> {
            if (ended || !session.isOpen()) { // it ended while being handed over
                pool.open(key, request, e);
                return;
            }
            if (idleTimer != null) idleTimer.busy();
            carried++;
            current = e;
            e.carriedBy(this);
            e.onOpen(session);
        });
    }

    /** Ends the session while idle (its pool drains); hops to the session's loop. */
    void endIdle() {
        session.eventLoop().execute(() -> {
            if (current == null) end();
        });
    }

    /** §13.3: this end's FIN between exchanges; the responder answers with its own and CLOSE. */
    private void end() {
        forget();
        if (session.isOpen()) session.write(Unpooled.EMPTY_BUFFER, true);
    }

    private void forget() {
        ended = true;
        if (idleTimer != null) idleTimer.stop();
        pool.remove(this);
    }
}
