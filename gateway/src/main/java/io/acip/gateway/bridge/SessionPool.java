package io.acip.gateway.bridge;

import io.acip.ingress.Exchange;
import io.acip.node.IncomingSession;
import io.acip.node.Node;
import io.acip.node.SessionHandler;
import io.acip.node.SessionRequest;
import io.acip.wire.Exchanges;
import io.acip.wire.Metadata;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A node's sessions that carry sequences of HTTP exchanges (docs/acip-v0.md §13): as an edge, the idle sessions it
 * keeps per pool key and hands to the next exchange; as a far gateway, the sessions it serves, which a drain ends
 * between exchanges. Any thread may call in; each session's own state stays on its event loop.
 */
public final class SessionPool {
    private final Node node;
    private final EventLoop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final PoolSettings settings;
    private final ConcurrentHashMap<Key, Idle> idle = new ConcurrentHashMap<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final Set<FarSession> serving = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    /**
     * What decides, at the responder's node, who is served and how (§13.4): an exchange rides only a session whose
     * SETUP it could have sent itself. The metadata is every TLV but TRACEPARENT (per exchange), as encoded.
     */
    record Key(SkillName skill, String initiator, List<String> groups, int hopLimit, ByteBuffer metadata, long tenant) {
        static Key of(SessionRequest r) {
            List<Tlv> tlvs = new ArrayList<>(r.metadata());
            tlvs.removeIf(t -> t.type() == TlvType.TRACEPARENT);
            Metadata m = new Metadata(tlvs);
            return new Key(r.skill(), r.initiator(), r.attestation() == null ? null : r.attestation().groups(),
                    r.hopLimit(), ByteBuffer.wrap(m.endToEnd()), tenant(m));
        }

        private static long tenant(Metadata m) {
            try {
                return m.first(TlvType.TENANT).isPresent() ? m.first(TlvType.TENANT).get().varInt() : 0;
            } catch (io.acip.wire.MalformedPacketException e) {
                return 0; // the node refuses such a SETUP; the session is never pooled
            }
        }
    }

    public SessionPool(Node node, PoolSettings settings) {
        this.node = node;
        List<EventLoop> all = new ArrayList<>();
        node.eventLoopGroup().forEach(e -> all.add((EventLoop) e));
        this.loops = all.toArray(EventLoop[]::new);
        this.settings = settings;
    }

    public Node node() {
        return node;
    }

    PoolSettings settings() {
        return settings;
    }

    /** Whether an edge offers sequences of exchanges in its SETUPs (EXCHANGES, §13.1). */
    boolean offers() {
        return settings.enabled();
    }

    /** Whether a far gateway accepts a SETUP's offer: not while it drains, when every session is its last. */
    boolean accepts(Metadata setup) {
        return settings.enabled() && !draining && Exchanges.offered(setup);
    }

    /**
     * The far side of a {@code bhttp} session: a sequence of exchanges where the initiator offered one and this node
     * accepts, else one exchange. {@code inFlight} counts each exchange while it lasts and returns what uncounts it.
     */
    public SessionHandler serve(IncomingSession incoming, BridgeConfig config, Consumer<Exchange> stage,
                                Supplier<Runnable> inFlight) {
        if (accepts(incoming.metadata())) return new FarSession(incoming, config, stage, this, inFlight);
        FarExchange one = new FarExchange(incoming, config, stage);
        one.onEnd(inFlight.get());
        return one;
    }

    /** Carries {@code exchange} over an idle session of its pool, or over a new one when none is idle. */
    void carry(SessionRequest request, EdgeExchange exchange) {
        if (!settings.enabled()) {
            node.open(request, exchange);
            return;
        }
        Key key = Key.of(request);
        PooledSession s;
        while ((s = take(key)) != null && !s.onCurrentPath()) {
            node.stats().inc("gateway.pool.rerouted");
            s.endIdle(); // routed as things were: the exchange goes the way a SETUP would go now
        }
        if (s != null) {
            node.stats().inc("gateway.pool.reused");
            s.carryNext(exchange);
        } else {
            open(key, request, exchange);
        }
    }

    /** A new session for {@code exchange}, which joins the pool of {@code key} once its exchange is done. */
    void open(Key key, SessionRequest request, EdgeExchange exchange) {
        node.stats().inc("gateway.pool.opened");
        node.open(request, new PooledSession(this, key, request, exchange));
    }

    /**
     * The most recently used idle session of {@code key} (so surplus sessions age out) on the caller's loop if it
     * runs on one of the node's, else on the loops in turn; on another loop when that one has none. Exchanges that
     * arrive from the listeners' threads so spread over every loop instead of following the sessions on top.
     */
    private PooledSession take(Key key) {
        int preferred = preferredLoop();
        PooledSession[] taken = new PooledSession[1];
        idle.computeIfPresent(key, (k, d) -> {
            taken[0] = d.take(preferred);
            return d.size == 0 ? null : d;
        });
        if (taken[0] != null) idleCount.decrementAndGet();
        return taken[0];
    }

    private int preferredLoop() {
        if (loops.length == 1) return 0;
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].inEventLoop()) return i;
        }
        return Math.floorMod(nextLoop.getAndIncrement(), loops.length);
    }

    private int indexOf(EventLoop loop) {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i] == loop) return i;
        }
        throw new IllegalStateException("not a loop of this node: " + loop);
    }

    /** Keeps {@code s} for the next exchange of its key; false when the pool is full or draining. */
    boolean offer(PooledSession s) {
        if (draining) return false;
        if (idleCount.incrementAndGet() > settings.maxIdle()) {
            idleCount.decrementAndGet();
            return false;
        }
        boolean[] kept = new boolean[1];
        int loop = indexOf(s.loop());
        idle.compute(s.key, (k, d) -> {
            if (d == null) d = new Idle(loops.length);
            if (d.size < settings.maxIdlePerKey()) {
                d.add(loop, s);
                kept[0] = true;
            }
            return d;
        });
        if (!kept[0]) {
            idleCount.decrementAndGet();
            return false;
        }
        return !draining || !remove(s); // a drain that began meanwhile may have missed it
    }

    /** Takes {@code s} out of its pool; true when it was idle there (nobody had taken it meanwhile). */
    boolean remove(PooledSession s) {
        boolean[] removed = new boolean[1];
        int loop = indexOf(s.loop());
        idle.computeIfPresent(s.key, (k, d) -> {
            removed[0] = d.remove(loop, s);
            return d.size == 0 ? null : d;
        });
        if (removed[0]) idleCount.decrementAndGet();
        return removed[0];
    }

    /** Idle sessions held now. */
    public int idleSessions() {
        return idleCount.get();
    }

    void serving(FarSession s, boolean open) {
        if (open) {
            serving.add(s);
        } else {
            serving.remove(s);
        }
    }

    boolean draining() {
        return draining;
    }

    /**
     * The node drains (§6.5): idle sessions end now on both sides, busy ones after their exchange, and no session
     * is kept for another exchange; exchanges still to come open sessions of their own.
     */
    public void drain() {
        draining = true;
        for (Key k : List.copyOf(idle.keySet())) {
            PooledSession s;
            while ((s = take(k)) != null) s.endIdle();
        }
        serving.forEach(FarSession::drain);
    }

    /**
     * An instance was detached, or replaced in place by a new registration (another origin, another allow list): the
     * sessions accepted under the old one end between exchanges, as in a drain, so every later exchange is judged by
     * what holds now.
     */
    public void retire(String instanceId) {
        for (FarSession s : serving) if (s.instanceId().equals(instanceId)) s.drain();
    }

    /** One key's idle sessions, a deque per loop, most recently used last; guarded by the map's compute. */
    private static final class Idle {
        private final ArrayDeque<PooledSession>[] byLoop;
        int size;

        @SuppressWarnings("unchecked")
        Idle(int loops) {
            byLoop = new ArrayDeque[loops];
        }

        void add(int loop, PooledSession s) {
            if (byLoop[loop] == null) byLoop[loop] = new ArrayDeque<>(4);
            byLoop[loop].addLast(s);
            size++;
        }

        /** The most recent on {@code loop}, else the most recent on the next loop that has one. */
        PooledSession take(int loop) {
            for (int i = 0; i < byLoop.length; i++) {
                ArrayDeque<PooledSession> d = byLoop[(loop + i) % byLoop.length];
                PooledSession s = d == null ? null : d.pollLast();
                if (s != null) {
                    size--;
                    return s;
                }
            }
            return null;
        }

        boolean remove(int loop, PooledSession s) {
            boolean removed = byLoop[loop] != null && byLoop[loop].remove(s);
            if (removed) size--;
            return removed;
        }
    }
}
