package io.acip.gateway.origin;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The HTTP/1.1 client for cleartext origins, on Netty NIO event loops (in a gateway, the node's own): an exchange
 * runs on the loop it was handed over on (the loop of the ACIP session that carried it), over a connection of that
 * loop, so the request goes from the session to the origin's socket and the response back without changing threads.
 * Nothing in it takes a lock per exchange.
 *
 * <p>Each loop keeps its own idle connections per origin and takes the most recently used first, so a busy loop
 * reuses warm connections and the rest idle out after {@code idleTimeout}. The limits hold per origin across loops:
 * at most {@code maxConnections} open or opening, at most {@code maxQueued} exchanges waiting for one (beyond: 503
 * {@code connection_limit_reached}); an exchange that finds others waiting waits behind them. At the limit, each
 * loop serves its waiting exchanges with the connections it holds, and a connection changes loops (is closed, so the
 * other loop opens its own: connections belong to their loop) only when that loop is starved, waiting with no
 * connection to the origin at all, or when it has sat idle for {@code min(1 s, idleTimeout / 4)} while another loop
 * waits. Closing a connection that would serve again at once costs a connect and a close: measured under load at the
 * limit, handing every freed slot to whichever loop waited made one exchange in seven open a connection. A
 * connection holding bytes beyond its last response is never reused.
 *
 * <p>An origin is one host and port, plus the addresses it was pinned to ({@link OriginConfig#addresses()}): pinned
 * origins connect only there and never share connections with unpinned ones. Others are resolved per connection
 * through {@code resolver}, which for direct egress applies the egress policy (then IP literals go through it too).
 */
final class LoopOrigins implements AutoCloseable {
    /** One origin's connections: host and port as addressed, and the checked addresses it is pinned to (or none). */
    record Key(String host, int port, List<InetAddress> pinned) {
    }

    private final EventLoop[] loops;
    private final EventLoopGroup owned;
    private final SocketAddressResolver resolver;
    private final boolean literalsResolved;
    private final int maxConnections;
    private final int maxQueued;
    private final int connectCeilingMillis;
    private final long idleNanos;
    /** How long a connection sits idle before it gives its slot to another loop that waits. */
    private final long yieldNanos;
    private final int maxHeadBytes;
    private final ConcurrentHashMap<Key, Origin> origins = new ConcurrentHashMap<>();
    private final ChannelGroup open = new DefaultChannelGroup("origin-connections", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final LongAdder opened = new LongAdder();
    private final LongAdder reused = new LongAdder();
    private final LongAdder failedConnects = new LongAdder();
    private final LongAdder waited = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private volatile boolean closed;

    /**
     * @param group the loops to run on, or null for a group of its own (one loop per core, closed with this)
     * @param resolver how unpinned hosts become addresses
     * @param literalsResolved whether IP literals also go through {@code resolver} (it applies a policy)
     * @param maxHeadBytes the most a response head may take in memory before it is a protocol error
     */
    LoopOrigins(EventLoopGroup group, SocketAddressResolver resolver, boolean literalsResolved,
                OriginForwarder.Settings settings, int maxHeadBytes) {
        this.owned = group == null ? new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("origin-loop", true),
                NioIoHandler.newFactory()) : null;
        List<EventLoop> all = new ArrayList<>();
        for (EventExecutor e : group == null ? owned : group) all.add((EventLoop) e);
        this.loops = all.toArray(EventLoop[]::new);
        this.resolver = resolver;
        this.literalsResolved = literalsResolved;
        this.maxConnections = settings.maxConnectionsPerOrigin();
        this.maxQueued = settings.maxQueuedPerOrigin();
        this.connectCeilingMillis = (int) Math.min(Integer.MAX_VALUE, settings.connectTimeoutCeiling().toMillis());
        this.idleNanos = settings.poolIdleTimeout().toNanos();
        this.yieldNanos = Math.min(TimeUnit.SECONDS.toNanos(1), idleNanos / 4);
        this.maxHeadBytes = maxHeadBytes;
    }

    /** The index of the caller's loop, when it runs on one of these; else the next in turn. */
    int loopForCaller() {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].inEventLoop()) return i;
        }
        return Math.floorMod(nextLoop.getAndIncrement(), loops.length);
    }

    EventLoop loop(int index) {
        return loops[index];
    }

    /**
     * Counters since start, under {@code prefix}: {@code connections.opened}, {@code connections.reused} (exchanges
     * that found an idle connection), {@code connections.failed} (connects that reached no address),
     * {@code queue.waited} (exchanges that waited for a slot) and {@code queue.refused} (503 at the queue's limit).
     */
    Map<String, Long> counters(String prefix) {
        return Map.of(prefix + "connections.opened", opened.sum(), prefix + "connections.reused", reused.sum(),
                prefix + "connections.failed", failedConnects.sum(), prefix + "queue.waited", waited.sum(),
                prefix + "queue.refused", refused.sum());
    }

    /** On the exchange's loop: hands it a connection now (idle or new), later (queued), or fails it. */
    void acquire(LoopOriginExchange ex) {
        if (closed) {
            ex.connectFailed(new RejectedExecutionException("the origin client is closed"));
            return;
        }
        Origin o = origins.get(ex.key);
        if (o != null) {
            ArrayDeque<OriginConnection> idle = o.pools[ex.loop].idle;
            OriginConnection c;
            while ((c = idle.pollLast()) != null) {
                o.idle.decrement();
                if (c.usable()) {
                    reused.increment();
                    ex.connected(c);
                    return;
                }
            }
        }
        Origin[] admitted = new Origin[1];
        Admission a = admit(ex.key, admitted);
        Origin queued = admitted[0];
        if (a == Admission.CONNECT) {
            queued.pools[ex.loop].connections++;
            connect(queued, ex);
            return;
        }
        if (a == Admission.REFUSE) {
            refused.increment();
            ex.connectFailed(new RejectedExecutionException("too many requests queued for the origin"));
            return;
        }
        waited.increment();
        ex.queuedAt(queued);
        queued.pools[ex.loop].enqueue(ex);
        if (queued.connections < maxConnections) serveWaiting(queued, ex.loop); // a slot came free meanwhile
        if (queued.idle.sum() > 0) { // connections idle on other loops hold the slots: one may give its slot up
            for (int i = 0; i < loops.length; i++) {
                int loop = i;
                if (i != ex.loop) loops[i].execute(() -> yieldIdle(queued, loop));
            }
        }
    }

    /**
     * On {@code loop}: closes its oldest idle connection to {@code o} when another loop waits for a slot and is
     * starved, or the connection has been idle long enough that this loop does not need it.
     */
    private void yieldIdle(Origin o, int loop) {
        Pool p = o.pools[loop];
        OriginConnection c = p.idle.peekFirst();
        if (c == null || o.queued == 0) return;
        boolean unneeded = System.nanoTime() - c.idleSince >= yieldNanos;
        if (unneeded ? waitsElsewhere(o, p) : starvedElsewhere(o, p)) {
            p.idle.pollFirst();
            o.idle.decrement();
            c.close(); // its slot goes to the waiting exchange once it closed
        }
    }

    /** Whether a loop other than {@code mine}'s waits for a connection to {@code o}. */
    private static boolean waitsElsewhere(Origin o, Pool mine) {
        for (Pool p : o.pools) {
            if (p != mine && p.waiting > 0) return true;
        }
        return false;
    }

    /** Whether a loop other than {@code mine}'s waits for a connection to {@code o} and holds none. */
    private static boolean starvedElsewhere(Origin o, Pool mine) {
        for (Pool p : o.pools) {
            if (p != mine && p.waiting > 0 && p.connections == 0) return true;
        }
        return false;
    }

    /** On the exchange's loop: it gave up waiting for a connection. */
    void dequeue(Origin o, LoopOriginExchange ex) {
        if (o.pools[ex.loop].remove(ex)) unqueue(o);
    }

    /** On the connection's loop: the exchange is done with it; it serves a waiting exchange or waits itself. */
    void release(OriginConnection c) {
        Origin o = c.origin;
        if (closed || !c.usable()) {
            c.close();
            return;
        }
        Pool p = o.pools[c.loop];
        if (o.queued > 0 && starvedElsewhere(o, p)) { // its slot goes there
            c.close();
            return;
        }
        LoopOriginExchange w;
        while ((w = p.poll()) != null) {
            unqueue(o);
            if (!w.ended()) {
                w.connected(c);
                return;
            }
        }
        c.idleSince = System.nanoTime();
        p.idle.addLast(c);
        o.idle.increment();
        if (o.queued > 0) yieldIdle(o, c.loop); // an exchange began to wait meanwhile (it may not have seen this one)
        if (!p.sweeping) {
            p.sweeping = true;
            loops[c.loop].schedule(() -> sweep(p), idleNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** On the connection's loop: it closed, whatever the reason; its slot is free. */
    void closed(OriginConnection c) {
        if (!c.counted) return;
        Pool p = c.origin.pools[c.loop];
        if (p.idle.remove(c)) c.origin.idle.decrement();
        p.connections--;
        freeSlot(c.origin);
    }

    private void sweep(Pool p) {
        long now = System.nanoTime();
        OriginConnection oldest;
        while ((oldest = p.idle.peekFirst()) != null && now - oldest.idleSince >= idleNanos) {
            p.idle.pollFirst();
            p.origin.idle.decrement();
            oldest.close();
        }
        if (oldest == null) {
            p.sweeping = false;
        } else {
            oldest.channel().eventLoop().schedule(() -> sweep(p), oldest.idleSince + idleNanos - now,
                    TimeUnit.NANOSECONDS);
        }
    }

    private enum Admission { CONNECT, QUEUE, REFUSE }

    /**
     * One decision, in one step on the origin's counts: a new connection (under the limit, and nobody waits ahead),
     * a place in the queue, or a refusal. {@code origin[0]} is the origin counted.
     */
    private Admission admit(Key key, Origin[] origin) {
        Admission[] decided = new Admission[1];
        origins.compute(key, (k, o) -> {
            if (o == null) o = new Origin(k, loops.length);
            if (o.queued == 0 && o.connections < maxConnections) {
                o.connections++;
                decided[0] = Admission.CONNECT;
            } else if (o.queued < maxQueued) {
                o.queued++;
                decided[0] = Admission.QUEUE;
            } else {
                decided[0] = Admission.REFUSE;
            }
            origin[0] = o;
            return forgettable(o) ? null : o;
        });
        return decided[0];
    }

    /** Counts a new connection to the origin if it is under the limit: its origin, or null at the limit. */
    private Origin reserveConnection(Key key) {
        Origin[] reserved = new Origin[1];
        origins.compute(key, (k, o) -> {
            if (o == null) o = new Origin(k, loops.length);
            if (o.connections < maxConnections) {
                o.connections++;
                reserved[0] = o;
            }
            return o;
        });
        return reserved[0];
    }

    private void unqueue(Origin o) {
        origins.computeIfPresent(o.key, (k, current) -> {
            if (current == o) o.queued--;
            return forgettable(current) ? null : current;
        });
    }

    /** A connection closed or never opened: its slot goes to an exchange that waits for one, on any loop. */
    private void freeSlot(Origin o) {
        boolean[] waiting = new boolean[1];
        origins.computeIfPresent(o.key, (k, current) -> {
            if (current == o) o.connections--;
            waiting[0] = current.queued > 0;
            return forgettable(current) ? null : current;
        });
        if (!waiting[0] || closed) return;
        for (int i = 0; i < loops.length; i++) {
            int loop = i;
            // A loop that gave its slot up to a starved one does not take it back at once.
            if (loops[i].inEventLoop() && !starvedElsewhere(o, o.pools[i])) {
                serveWaiting(o, loop);
            } else {
                loops[i].execute(() -> serveWaiting(o, loop));
            }
        }
    }

    /** On {@code loop}: opens connections for its waiting exchanges while the origin is under its limit. */
    private void serveWaiting(Origin o, int loop) {
        Pool p = o.pools[loop];
        LoopOriginExchange w;
        while ((w = p.peek()) != null) {
            if (w.ended()) {
                p.poll();
                unqueue(o);
                continue;
            }
            Origin reserved = reserveConnection(o.key);
            if (reserved == null) return;
            p.poll();
            unqueue(o);
            w.dequeued();
            reserved.pools[loop].connections++;
            connect(reserved, w);
        }
    }

    private static boolean forgettable(Origin o) {
        return o.connections == 0 && o.queued == 0;
    }

    private void connect(Origin o, LoopOriginExchange ex) {
        Key k = o.key;
        if (!k.pinned().isEmpty()) {
            dial(o, ex, k.pinned().stream().map(a -> new InetSocketAddress(a, k.port())).toList(), 0, null);
        } else if (!literalsResolved && (NetUtil.isValidIpV4Address(k.host())
                || NetUtil.isValidIpV6Address(k.host()))) {
            dial(o, ex, List.of(new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(k.host()),
                    k.port())), 0, null);
        } else {
            EventLoop loop = loops[ex.loop];
            resolver.resolve(k.host(), k.port(), Map.of(), new Promise<>() {
                @Override
                public void succeeded(List<InetSocketAddress> addresses) {
                    loop.execute(() -> dial(o, ex, addresses, 0, null));
                }

                @Override
                public void failed(Throwable cause) {
                    loop.execute(() -> notConnected(o, ex, cause));
                }
            });
        }
    }

    /** Tries {@code to} in order from {@code at}: the first that accepts carries the exchange. */
    private void dial(Origin o, LoopOriginExchange ex, List<InetSocketAddress> to, int at, Throwable last) {
        if (ex.ended() || closed || at == to.size()) {
            notConnected(o, ex, last != null ? last : new ConnectException("the origin has no address to reach"));
            return;
        }
        OriginConnection c = new OriginConnection(this, o, ex.loop, maxHeadBytes);
        ChannelFuture f = new Bootstrap().group(loops[ex.loop]).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectCeilingMillis)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        c.install(ch);
                    }
                })
                .connect(to.get(at));
        f.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                dial(o, ex, to, at + 1, done.cause()); // its slot is given back once, when no address is left
                return;
            }
            if (closed) { // closed while connecting: the connection never serves
                done.channel().close();
                notConnected(o, ex, new RejectedExecutionException("the origin client is closed"));
                return;
            }
            c.counted = true;
            opened.increment();
            open.add(done.channel());
            if (ex.ended()) {
                release(c);
            } else {
                ex.connected(c);
            }
        });
    }

    private void notConnected(Origin o, LoopOriginExchange ex, Throwable cause) {
        failedConnects.increment();
        o.pools[ex.loop].connections--;
        freeSlot(o);
        ex.connectFailed(cause);
    }

    /** Closes every connection; exchanges in flight and waiting fail. A group of its own stops too. */
    @Override
    public void close() {
        closed = true;
        for (Origin o : origins.values()) {
            for (int i = 0; i < loops.length; i++) {
                int loop = i;
                try {
                    loops[i].execute(() -> {
                        Pool p = o.pools[loop];
                        for (LoopOriginExchange w; (w = p.poll()) != null; ) {
                            unqueue(o);
                            w.dequeued();
                            w.connectFailed(new RejectedExecutionException("the origin client is closed"));
                        }
                    });
                } catch (RejectedExecutionException stopped) {
                    // the loop is gone, and its exchanges with it
                }
            }
        }
        open.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (owned != null) owned.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One origin's counts, guarded by the map's compute on its key, and its pools, one per loop, each loop's own. */
    static final class Origin {
        final Key key;
        final Pool[] pools;
        /** Connections idle on any loop: an exchange that waits for a slot asks them to give theirs up. */
        final LongAdder idle = new LongAdder();
        volatile int connections;
        volatile int queued;

        Origin(Key key, int loops) {
            this.key = key;
            this.pools = new Pool[loops];
            for (int i = 0; i < loops; i++) pools[i] = new Pool(this);
        }
    }

    /**
     * One loop's idle connections to one origin (oldest first) and the exchanges waiting there for one, changed by
     * that loop alone; the counts are read by other loops deciding whether to give a slot up.
     */
    static final class Pool {
        final Origin origin;
        final ArrayDeque<OriginConnection> idle = new ArrayDeque<>();
        private final ArrayDeque<LoopOriginExchange> queue = new ArrayDeque<>();
        /** Connections of this loop to the origin, open or opening. */
        volatile int connections;
        /** Exchanges of this loop waiting for a connection. */
        volatile int waiting;
        boolean sweeping;

        Pool(Origin origin) {
            this.origin = origin;
        }

        void enqueue(LoopOriginExchange ex) {
            queue.addLast(ex);
            waiting = queue.size();
        }

        LoopOriginExchange peek() {
            return queue.peekFirst();
        }

        LoopOriginExchange poll() {
            LoopOriginExchange ex = queue.pollFirst();
            waiting = queue.size();
            return ex;
        }

        boolean remove(LoopOriginExchange ex) {
            boolean removed = queue.remove(ex);
            waiting = queue.size();
            return removed;
        }
    }
}
