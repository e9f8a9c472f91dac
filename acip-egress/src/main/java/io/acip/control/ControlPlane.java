package io.acip.control;

import io.acip.routing.RouteTable;
import io.acip.wire.MalformedPacketException;
import io.acip.wire.SkillName;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A node's route exchange (docs/acip-v0.md §12): a {@link NeighbourSession} per neighbour, the {@link Rib}, and the
 * origination API: what this node offers its neighbours (attached instances, static routes marked to be
 * announced). Learned routes reach the node's route table, so SETUPs follow them. Everything runs on the node's
 * event loop; the public methods may be called from any thread.
 */
public final class ControlPlane {
    private static final Logger LOG = Logger.getLogger(ControlPlane.class.getName());
    /** How often measured origins are read; what changed is then damped (§12.4), so this only bounds staleness. */
    public static final Duration METRIC_SAMPLE = Duration.ofMillis(200);

    private record Origin(RouteKey key, String originId) {
    }

    final String self;
    final ControlConfig config;
    final EventLoop loop;
    final Rib rib;
    private final MetricDamping damping;
    private final RouteTable table;
    private final Consumer<String> counter;
    /** The established session per neighbour (at most one: collisions are resolved, §12.1). */
    private final Map<String, NeighbourSession> sessions = new HashMap<>();
    /** Origins whose attributes are measured, sampled every {@link #METRIC_SAMPLE}. */
    private final Map<Origin, Supplier<RouteAttributes>> measured = new HashMap<>();
    private ScheduledFuture<?> sampling;
    /** Waiters on the route table, checked after every change ({@link #awaitRoutes}). */
    private final List<Map.Entry<Predicate<RouteTable>, CompletableFuture<Void>>> watchers = new ArrayList<>();

    public ControlPlane(String self, RouteTable table, EventLoop loop, ControlConfig config, Consumer<String> counter) {
        this.self = self;
        this.table = table;
        this.loop = loop;
        this.config = config;
        this.counter = counter;
        this.rib = new Rib(self, table, config.learnedPriority(), this::count);
        this.damping = new MetricDamping(loop, MetricDamping.HOLD_DOWN);
    }

    public ControlConfig config() {
        return config;
    }

    /** A control channel opened on a link (either side); on the event loop. Feed it the channel's packets. */
    public NeighbourSession open(ControlChannel channel) {
        NeighbourSession s = new NeighbourSession(this, channel, config.border(channel.peerNodeId()));
        s.start();
        return s;
    }

    /**
     * Announces {@code prefix} from this node, as served through {@code originId} (an instance, a static route). A
     * change of metrics alone is damped ({@link MetricDamping}): small ones are dropped, and the rest go out at most
     * once per hold-down, the latest value winning.
     */
    public void originate(long tenant, SkillName prefix, String originId, RouteAttributes attributes) {
        RouteKey key = new RouteKey(tenant, prefix);
        loop.execute(() -> {
            measured.remove(new Origin(key, originId));
            offer(key, originId, attributes);
        });
    }

    /**
     * Announces {@code prefix} through {@code originId} with attributes measured by {@code measure} (CATS metrics:
     * LOAD, LATENCY_MS), read now and every {@link #METRIC_SAMPLE} until withdrawn; what changed goes out damped like
     * any origination. {@code measure} runs on the event loop: it must be quick and must not block.
     */
    public void originate(long tenant, SkillName prefix, String originId, Supplier<RouteAttributes> measure) {
        RouteKey key = new RouteKey(tenant, prefix);
        loop.execute(() -> {
            measured.put(new Origin(key, originId), measure);
            if (sampling == null) {
                sampling = loop.scheduleAtFixedRate(this::sample, METRIC_SAMPLE.toMillis(), METRIC_SAMPLE.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            offer(key, originId, measure.get());
        });
    }

    private void sample() {
        for (var e : List.copyOf(measured.entrySet())) {
            RouteAttributes now;
            try {
                now = e.getValue().get();
            } catch (RuntimeException ex) { // a broken probe keeps the last value announced
                LOG.warning(() -> "node " + self + ": measuring " + e.getKey() + " failed: " + ex);
                continue;
            }
            if (!now.equals(rib.origin(e.getKey().key(), e.getKey().originId()))) {
                offer(e.getKey().key(), e.getKey().originId(), now);
            }
        }
    }

    private void offer(RouteKey key, String originId, RouteAttributes attributes) {
        RouteAttributes old = rib.origin(key, originId);
        if (old != null && damping.holds(key, originId, old, attributes, this::applyOrigination)) {
            count("acip.control.metric.damped");
            return;
        }
        applyOrigination(key, originId, attributes);
    }

    private void applyOrigination(RouteKey key, String originId, RouteAttributes attributes) {
        if (rib.originate(key, originId, attributes)) changed(key, false);
    }

    /** Stops announcing {@code prefix} through {@code originId}; withdrawn at once when it was the last. */
    public void withdraw(long tenant, SkillName prefix, String originId) {
        RouteKey key = new RouteKey(tenant, prefix);
        loop.execute(() -> {
            measured.remove(new Origin(key, originId));
            damping.forget(key, originId);
            if (rib.withdrawOrigin(key, originId)) changed(key, true);
        });
    }

    /** Whether a channel with {@code neighbour} is established; on the event loop only. */
    public boolean hasChannel(String neighbour) {
        return sessions.containsKey(neighbour);
    }

    /** Neighbours with an established control channel. */
    public CompletableFuture<List<String>> neighbours() {
        CompletableFuture<List<String>> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(List.copyOf(sessions.keySet())));
        return f;
    }

    /** Every route this node knows, static, local and learned, for {@code GET /routes}. */
    public CompletableFuture<List<RouteView>> routes() {
        CompletableFuture<List<RouteView>> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(RouteView.of(table, rib)));
        return f;
    }

    /**
     * Completes once {@code condition} holds of the route table: at once, or after the route change that makes it
     * hold. For tests and tools that wait for convergence without polling.
     */
    public CompletableFuture<Void> awaitRoutes(Predicate<RouteTable> condition) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        loop.execute(() -> {
            if (condition.test(table)) {
                f.complete(null);
            } else {
                watchers.add(Map.entry(condition, f));
            }
        });
        return f;
    }

    /** {@link #awaitRoutes} for what {@link #routes()} shows: attributes and metrics as learned, best or not. */
    public CompletableFuture<Void> awaitRouteViews(Predicate<List<RouteView>> condition) {
        return awaitRoutes(t -> condition.test(RouteView.of(t, rib)));
    }

    /** Ends every channel with {@code cease}, as the node closes. */
    public void close() {
        loop.execute(() -> {
            if (sampling != null) sampling.cancel(false);
        });
        for (NeighbourSession s : new ArrayList<>(sessions.values())) s.close(NotificationCode.CEASE, "node " + self + " closing");
    }

    // ---------------------------------------------------------------- from sessions

    /**
     * {@code s} exchanged OPENs. Keeps one channel per neighbour: of two, the one on the link the greater node ID
     * dialled, else the newer (§12.1). False when {@code s} lost and was ended.
     */
    boolean established(NeighbourSession s) {
        NeighbourSession old = sessions.get(s.peer);
        if (old != null && old != s) {
            String keep = self.compareTo(s.peer) > 0 ? self : s.peer;
            boolean newWins = s.diallerNodeId().equals(keep) || !old.diallerNodeId().equals(keep);
            NeighbourSession loser = newWins ? old : s;
            loser.close(NotificationCode.CEASE, "channel collision");
            if (!newWins) return false;
        }
        sessions.put(s.peer, s);
        count("acip.control.channel.established");
        LOG.info(() -> "node " + self + ": control channel with " + s.peer + " established");
        return true;
    }

    void sessionClosed(NeighbourSession s) {
        if (sessions.get(s.peer) != s) return;
        sessions.remove(s.peer);
        for (RouteKey k : rib.dropNeighbour(s.peer)) changed(k, true);
    }

    /** Applies an UPDATE from {@code s}'s neighbour: withdrawals first, then announcements (§12.3). */
    void onUpdate(NeighbourSession s, Update u) {
        count("acip.control.update.received");
        Set<RouteKey> changed = new HashSet<>();
        try {
            apply(s, u, changed);
        } finally {
            // Also when the UPDATE ended the channel: what it withdrew is not among the routes the end drops.
            for (RouteKey k : changed) changed(k, rib.export(k).isEmpty());
        }
    }

    /** Applies {@code u} to the RIB, adding the keys it changed to {@code changed}; may end the channel. */
    private void apply(NeighbourSession s, Update u, Set<RouteKey> changed) {
        for (RouteKey k : u.withdrawals()) {
            count("acip.control.withdrawal.received");
            if (rib.unlearn(s.peer, k)) changed.add(k);
        }
        for (Announcement a : u.announcements()) {
            count("acip.control.announcement.received");
            if (!a.path().get(0).equals(s.peer)) {
                s.close(NotificationCode.MALFORMED_UPDATE, "path " + a.path() + " does not start with " + s.peer);
                return;
            }
            String refusal = refusal(s, a);
            RouteAttributes attrs = null;
            if (refusal == null) {
                try {
                    attrs = RouteAttributes.of(a.attributes());
                } catch (MalformedPacketException e) {
                    refusal = "acip.control.attribute.malformed";
                }
            }
            if (refusal != null) {
                count(refusal); // not used, and what the neighbour announced before for it is gone too
                if (rib.unlearn(s.peer, a.key())) changed.add(a.key());
            } else if (rib.learn(s.peer, a, attrs)) {
                changed.add(a.key());
            }
        }
        int held = rib.prefixesFrom(s.peer);
        long bytes = rib.bytesFrom(s.peer);
        if (held > s.border.maxPrefixes()) {
            s.close(NotificationCode.MAX_PREFIXES_EXCEEDED, s.peer + " announced " + held + " prefixes, more than "
                    + s.border.maxPrefixes());
        } else if (bytes > s.border.maxRouteBytes()) {
            s.close(NotificationCode.MAX_PREFIXES_EXCEEDED, s.peer + " announced routes of " + bytes + " bytes, more than "
                    + s.border.maxRouteBytes());
        }
    }

    /** Why an announcement is not used, as the counter to bump, or null (§12.3, §12.4). */
    private String refusal(NeighbourSession s, Announcement a) {
        if (a.path().contains(self)) return "acip.control.path.rejected";
        if (a.path().size() > s.border.maxPathLength()) return "acip.control.path.too_long";
        if (RouteAttributes.unknownMustUnderstand(a.attributes()) >= 0) return "acip.control.attribute.unsupported";
        if (!s.border.importFilter().admits(a.key())) return "acip.control.import.denied";
        return null;
    }

    /** The best route of {@code key} may have changed: every neighbour hears of it with its next batch. */
    private void changed(RouteKey key, boolean urgent) {
        for (NeighbourSession s : sessions.values()) s.markDirty(key, urgent);
        if (watchers.isEmpty()) return;
        watchers.removeIf(w -> w.getValue().isDone() || w.getKey().test(table) && w.getValue().complete(null));
    }

    void count(String name) {
        counter.accept(name);
    }
}
