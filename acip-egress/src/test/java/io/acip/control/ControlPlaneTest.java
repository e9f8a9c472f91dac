package io.acip.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.routing.NextHop;
import io.acip.routing.Route;
import io.acip.routing.RouteTable;
import io.acip.wire.Metadata;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One rule of docs/acip-v0.md §12 per test, against a control plane whose neighbours are scripted channels: the
 * OPEN checks, the errors that end a channel, loop prevention, border policy, best-path order and batching.
 */
class ControlPlaneTest {
    static final SkillName ECHO = new SkillName("demo/echo");
    static final RouteKey KEY = new RouteKey(0, ECHO);

    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final RouteTable table = new RouteTable();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private ControlPlane plane;

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private void start(ControlConfig config) {
        plane = new ControlPlane("self", table, loop, config, n -> counters.computeIfAbsent(n, x -> new LongAdder()).increment());
    }

    private long count(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    private <T> T on(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    /** A neighbour's end of a control channel: what the plane sends arrives decoded in {@link #sent}. */
    final class Peer implements ControlChannel {
        final String id;
        final boolean weDialled;
        final LinkedBlockingQueue<ControlMessage> sent = new LinkedBlockingQueue<>();
        volatile boolean finished;
        NeighbourSession session;

        Peer(String id, boolean weDialled) {
            this.id = id;
            this.weDialled = weDialled;
        }

        @Override
        public String peerNodeId() {
            return id;
        }

        @Override
        public boolean dialler() {
            return weDialled;
        }

        @Override
        public void send(ByteBuf packet) {
            try {
                if (io.acip.wire.Header.typeCode(packet) != io.acip.wire.PacketType.PING.code) {
                    sent.add(ControlMessage.decode(packet));
                }
            } catch (io.acip.wire.MalformedPacketException e) {
                throw new AssertionError(e);
            } finally {
                packet.release();
            }
        }

        @Override
        public void finish() {
            finished = true;
        }

        void deliver(ControlMessage m) throws Exception {
            on(() -> {
                session.onPacket(m.encode(ByteBufAllocator.DEFAULT));
                return null;
            });
        }

        void deliverBytes(byte[] b) throws Exception {
            on(() -> {
                session.onPacket(Unpooled.wrappedBuffer(b));
                return null;
            });
        }

        ControlMessage next() throws InterruptedException {
            ControlMessage m = sent.poll(5, TimeUnit.SECONDS);
            if (m == null) throw new AssertionError("nothing sent to " + id);
            return m;
        }

        Notification notification() throws InterruptedException {
            while (true) {
                ControlMessage m = next();
                if (m instanceof Notification n) return n;
            }
        }

        /** Opens the channel from the neighbour's side and takes our OPEN and first UPDATE (the table dump). */
        Peer established() throws Exception {
            session = on(() -> plane.open(this));
            deliver(new Open(id, 15_000, Metadata.EMPTY));
            assertTrue(next() instanceof Open);
            return this;
        }

        void announce(List<String> path, Metadata attributes) throws Exception {
            deliver(new Update(List.of(), List.of(new Announcement(KEY, path, attributes))));
        }
    }

    private static Metadata attrs(long latency) {
        return new RouteAttributes(RouteAttributes.ORIGIN_ATTACHED, "", Map.of(), -1, latency).encode();
    }

    private Route route() throws Exception {
        return on(() -> table.lookup(0, ECHO).orElse(null));
    }

    @Test
    void anOpenNamingAnotherNodeIsABadOpen() throws Exception {
        start(ControlConfig.DEFAULT);
        Peer p = new Peer("n1", false);
        p.session = on(() -> plane.open(p));
        p.deliver(new Open("mallory", 15_000, Metadata.EMPTY));
        assertEquals(NotificationCode.BAD_OPEN, p.notification().code());
        assertTrue(p.finished);
    }

    @Test
    void aHoldTimeUnderASecondIsABadOpen() throws Exception {
        start(ControlConfig.DEFAULT);
        Peer p = new Peer("n1", false);
        p.session = on(() -> plane.open(p));
        p.deliver(new Open("n1", 999, Metadata.EMPTY));
        assertEquals(NotificationCode.BAD_OPEN, p.notification().code());
    }

    @Test
    void anUnknownOddCapabilityEndsTheChannelAndAnEvenOneIsIgnored() throws Exception {
        start(ControlConfig.DEFAULT);
        Peer even = new Peer("n1", false);
        even.session = on(() -> plane.open(even));
        even.deliver(new Open("n1", 15_000, Metadata.of(new Tlv(0x40, new byte[] {1}))));
        assertTrue(even.next() instanceof Open);
        assertTrue(on(() -> plane.hasChannel("n1")));
        Peer odd = new Peer("n2", false);
        odd.session = on(() -> plane.open(odd));
        odd.deliver(new Open("n2", 15_000, Metadata.of(new Tlv(0x41, new byte[] {1}))));
        assertEquals(NotificationCode.UNSUPPORTED_CAPABILITY, odd.notification().code());
    }

    @Test
    void anUpdateBeforeOpenIsUnexpected() throws Exception {
        start(ControlConfig.DEFAULT);
        Peer p = new Peer("n1", false);
        p.session = on(() -> plane.open(p));
        p.deliver(new Update(List.of(KEY), List.of()));
        assertEquals(NotificationCode.UNEXPECTED_MESSAGE, p.notification().code());
    }

    @Test
    void garbageIsAMalformedMessage() throws Exception {
        start(ControlConfig.DEFAULT);
        Peer p = new Peer("n1", false).established();
        p.deliverBytes(new byte[] {0, 0x09, 0, 0, 0, 0, 0, 0, 0x05}); // five withdrawals promised, none there
        assertEquals(NotificationCode.MALFORMED_MESSAGE, p.notification().code());
    }

    @Test
    void aPathThatDoesNotStartWithItsSenderIsAMalformedUpdate() throws Exception {
        start(ControlConfig.DEFAULT);
        Peer p = new Peer("n1", false).established();
        p.announce(List.of("n9", "far"), attrs(-1));
        assertEquals(NotificationCode.MALFORMED_UPDATE, p.notification().code());
    }

    @Test
    void aPathThroughThisNodeIsRejected() throws Exception {
        start(ControlConfig.DEFAULT);
        Peer p = new Peer("n1", false).established();
        p.announce(List.of("n1", "self", "far"), attrs(-1));
        p.announce(List.of("n1", "far"), attrs(-1)); // then a good one: the channel lives on
        assertEquals(1, route().hops().size());
        assertEquals(1, count("acip.control.path.rejected"));
    }

    @Test
    void shorterPathThenMetricTierThenNeighbourIdAndEqualOnesShare() throws Exception {
        start(ControlConfig.DEFAULT);
        Peer a = new Peer("a", false).established();
        Peer b = new Peer("b", false).established();
        Peer c = new Peer("c", false).established();
        Peer d = new Peer("d", false).established();
        a.announce(List.of("a", "x", "far"), attrs(1));
        c.announce(List.of("c", "far"), attrs(10));
        d.announce(List.of("d", "far"), attrs(10));
        b.announce(List.of("b", "far"), attrs(20)); // last: had it been preferred first, it would have stayed
        Route r = route();
        assertEquals(Map.of("c", 100, "d", 100, "b", 100, "a", 101), priorities(r));
        assertEquals(Map.of("c", 0, "d", 0, "b", 1, "a", 0), tiers(r)); // b: 25 ms expected against 15
        // What this node exports: the best (c: lower ID than d) with itself first, to those not on the path.
        Announcement best = on(() -> plane.rib.export(KEY).orElseThrow());
        assertEquals(List.of("self", "c", "far"), best.path());
    }

    /** §12.4: a route joins the preferred tier within 25 % of the best cost, and leaves it only beyond twice it. */
    @Test
    void metricTiersHaveHysteresis() throws Exception {
        start(ControlConfig.DEFAULT);
        Peer a = new Peer("a", false).established();
        Peer b = new Peer("b", false).established();
        a.announce(List.of("a", "far"), load(0));
        b.announce(List.of("b", "far"), load(0));
        assertEquals(Map.of("a", 0, "b", 0), tiers(route()));
        a.announce(List.of("a", "far"), load(450)); // 1.8 times the delay: within the leave margin, stays
        assertEquals(Map.of("a", 0, "b", 0), tiers(route()));
        a.announce(List.of("a", "far"), load(600)); // 2.5 times: leaves
        assertEquals(Map.of("a", 1, "b", 0), tiers(route()));
        a.announce(List.of("a", "far"), load(300)); // 1.43 times: not yet back
        assertEquals(Map.of("a", 1, "b", 0), tiers(route()));
        a.announce(List.of("a", "far"), load(150)); // 1.18 times: back
        assertEquals(Map.of("a", 0, "b", 0), tiers(route()));
        assertEquals(2, count("acip.control.tier.changed"));
    }

    private static Metadata load(long perMille) {
        return new RouteAttributes(RouteAttributes.ORIGIN_ATTACHED, "", Map.of(), perMille, 0).encode();
    }

    private static Map<String, Integer> tiers(Route r) {
        Map<String, Integer> out = new java.util.HashMap<>();
        for (NextHop h : r.hops()) out.put(((NextHop.Neighbour) h).nodeId(), h.tier());
        return out;
    }

    private static Map<String, Integer> priorities(Route r) {
        Map<String, Integer> out = new java.util.HashMap<>();
        for (NextHop h : r.hops()) out.put(((NextHop.Neighbour) h).nodeId(), h.priority());
        return out;
    }

    @Test
    void aStaticRouteToTheSameNeighbourWins() throws Exception {
        start(ControlConfig.DEFAULT);
        on(() -> {
            table.add(0, ECHO, new NextHop.Neighbour("a", 0, 1, "", Map.of()));
            return null;
        });
        Peer a = new Peer("a", false).established();
        a.announce(List.of("a", "far"), attrs(-1));
        Route r = route();
        assertEquals(1, r.hops().size());
        assertEquals(0, r.hops().get(0).priority());
    }

    @Test
    void maxPrefixesEndsTheChannelAndWithdrawsItsRoutes() throws Exception {
        start(new ControlConfig(Duration.ofMillis(50), Duration.ofSeconds(15), 100,
                Map.of("n1", new BorderPolicy(RouteFilter.ALL, RouteFilter.ALL, 1, 32))));
        Peer p = new Peer("n1", false);
        p.session = on(() -> plane.open(p));
        p.deliver(new Open("n1", 15_000, Metadata.EMPTY));
        Open ours = (Open) p.next();
        assertEquals(1, ours.maxPrefixes()); // the limit is announced
        p.announce(List.of("n1", "far"), attrs(-1));
        assertEquals(1, route().hops().size());
        p.deliver(new Update(List.of(), List.of(new Announcement(new RouteKey(0, new SkillName("demo/other")),
                List.of("n1", "far"), attrs(-1)))));
        assertEquals(NotificationCode.MAX_PREFIXES_EXCEEDED, p.notification().code());
        assertEquals(null, route());
        assertFalse(on(() -> plane.hasChannel("n1")));
    }

    @Test
    void importAndExportFiltersHoldAndTenantsStayApart() throws Exception {
        RouteFilter denyDemo = new RouteFilter(List.of(), List.of(new SkillName("demo")), java.util.Set.of(),
                java.util.Set.of());
        RouteFilter tenant7Only = new RouteFilter(List.of(), List.of(), java.util.Set.of(7L), java.util.Set.of());
        start(new ControlConfig(Duration.ofMillis(50), Duration.ofSeconds(15), 100, Map.of(
                "in", new BorderPolicy(denyDemo, RouteFilter.ALL, 1000, 32),
                "out", new BorderPolicy(RouteFilter.ALL, tenant7Only, 1000, 32))));
        Peer in = new Peer("in", false).established();
        Peer out = new Peer("out", false).established();
        in.announce(List.of("in", "far"), attrs(-1));
        assertEquals(null, route());
        assertEquals(1, count("acip.control.import.denied"));

        plane.originate(0, new SkillName("bank/pay"), "i0", RouteAttributes.of(attrs(-1)));
        plane.originate(7, new SkillName("bank/pay"), "i7", RouteAttributes.of(attrs(-1)));
        Update u = (Update) out.next();
        assertEquals(1, u.announcements().size());
        assertEquals(7, u.announcements().get(0).key().tenant());
        assertTrue(on(() -> table.lookup(3, new SkillName("bank/pay")).isEmpty()));
    }

    @Test
    void unknownAttributesAreCarriedOnOrStopTheRouteByParity() throws Exception {
        start(ControlConfig.DEFAULT);
        Peer a = new Peer("a", false).established();
        Peer b = new Peer("b", false).established();
        a.announce(List.of("a", "far"), attrs(-1).with(new Tlv(0x40, new byte[] {7})));
        Update toB = (Update) b.next();
        Announcement passed = toB.announcements().get(0);
        assertEquals(List.of("self", "a", "far"), passed.path());
        assertEquals(0x40, passed.attributes().tlvs().get(passed.attributes().tlvs().size() - 1).type());

        a.deliver(new Update(List.of(), List.of(new Announcement(new RouteKey(0, new SkillName("demo/odd")),
                List.of("a", "far"), attrs(-1).with(new Tlv(0x41, new byte[] {7}))))));
        assertTrue(on(() -> table.lookup(0, new SkillName("demo/odd")).isEmpty()));
        assertEquals(1, count("acip.control.attribute.unsupported"));
    }

    @Test
    void changesWithinAnIntervalGoInOneUpdateAndAWithdrawalGoesAtOnce() throws Exception {
        start(new ControlConfig(Duration.ofMillis(300), Duration.ofSeconds(15), 100, Map.of()));
        Peer p = new Peer("n1", false).established();
        plane.originate(0, new SkillName("a/one"), "i1", RouteAttributes.of(attrs(-1)));
        Update first = (Update) p.next(); // the first change goes at once: nothing was sent for an interval
        assertEquals(1, first.announcements().size());
        long t0 = System.nanoTime();
        for (int i = 0; i < 50; i++) plane.originate(0, new SkillName("b/n" + i), "i", RouteAttributes.of(attrs(-1)));
        Update batch = (Update) p.next();
        assertEquals(50, batch.announcements().size());
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(250), "waited for the interval");

        t0 = System.nanoTime();
        plane.withdraw(0, new SkillName("a/one"), "i1");
        Update w = (Update) p.next();
        assertEquals(List.of(new RouteKey(0, new SkillName("a/one"))), w.withdrawals());
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(250), "a withdrawal does not wait");
        assertEquals(3, count("acip.control.update.sent"));
    }

    @Test
    void aFlappingLoadIsDampedAndItsLatestValueGoesOutAfterTheHoldDown() throws Exception {
        start(new ControlConfig(Duration.ofMillis(10), Duration.ofSeconds(15), 100, Map.of()));
        Peer p = new Peer("n1", false).established();
        SkillName s = new SkillName("demo/busy");
        plane.originate(0, s, "i", new RouteAttributes(0, "", Map.of(), 100, -1));
        assertEquals(100, load((Update) p.next()));
        plane.originate(0, s, "i", new RouteAttributes(0, "", Map.of(), 102, -1)); // too small to tell anyone
        plane.originate(0, s, "i", new RouteAttributes(0, "", Map.of(), 300, -1)); // goes at once
        assertEquals(300, load((Update) p.next()));
        long t0 = System.nanoTime();
        for (long l : new long[] {100, 300, 100, 300, 250}) {
            plane.originate(0, s, "i", new RouteAttributes(0, "", Map.of(), l, -1));
        }
        assertEquals(250, load((Update) p.next())); // the latest, once the hold-down ends
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(500), "held down");
        assertEquals(4, count("acip.control.metric.damped")); // 102, 100, 100, 250; each 300 is the announced value
        assertEquals(3, count("acip.control.update.sent"));
    }

    /** §12.4: a step is small only when under 5 units and under a tenth; either alone is enough to announce it. */
    @Test
    void aStepOfFiveUnitsOrOfATenthIsAnnounced() {
        assertTrue(MetricDamping.significant(100, 106), "6 units, 6%");
        assertTrue(MetricDamping.significant(20, 23), "3 units, 15%");
        assertFalse(MetricDamping.significant(100, 102), "2 units, 2%");
        assertTrue(MetricDamping.significant(-1, 3), "appears");
    }

    /** A deferred change is replaced by the latest one, also when the latest is small: it is not announced late. */
    @Test
    void aSmallChangeAfterADeferredOneCancelsIt() throws Exception {
        start(new ControlConfig(Duration.ofMillis(10), Duration.ofSeconds(15), 100, Map.of()));
        Peer p = new Peer("n1", false).established();
        SkillName s = new SkillName("demo/busy");
        RouteKey key = new RouteKey(0, s);
        plane.originate(0, s, "i", new RouteAttributes(0, "", Map.of(), 100, -1));
        assertEquals(100, load((Update) p.next()));
        plane.originate(0, s, "i", new RouteAttributes(0, "", Map.of(), 106, -1)); // 6 units: at once
        assertEquals(106, load((Update) p.next()));
        plane.originate(0, s, "i", new RouteAttributes(0, "", Map.of(), 300, -1)); // deferred to the hold-down's end
        plane.originate(0, s, "i", new RouteAttributes(0, "", Map.of(), 108, -1)); // latest: about what is announced
        // Once the hold-down has ended on the loop, what is announced is still 106, not the stale 300.
        long announced = loop.schedule(() -> plane.rib.origin(key, "i").load(),
                MetricDamping.HOLD_DOWN.toMillis() + 100, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
        assertEquals(106, announced);
        assertEquals(null, p.sent.poll());
    }

    private static long load(Update u) throws io.acip.wire.MalformedPacketException {
        return RouteAttributes.of(u.announcements().get(0).attributes()).load();
    }

    private static List<String> path(String first, int nodes) {
        List<String> p = new ArrayList<>(List.of(first));
        while (p.size() < nodes) p.add("n" + p.size());
        return p;
    }

    /** A route whose path is full (MAX_PATH nodes) is used here but not passed on: with this node it would not parse. */
    @Test
    void aFullPathIsNotExportedAndAFullerOneWithdrawsTheExportedRoute() throws Exception {
        start(ControlConfig.DEFAULT);
        Peer a = new Peer("a", false).established();
        Peer b = new Peer("b", false).established();
        a.announce(path("a", Update.MAX_PATH - 1), attrs(-1));
        Update passed = (Update) b.next();
        assertEquals(Update.MAX_PATH, passed.announcements().get(0).path().size());

        a.announce(path("a", Update.MAX_PATH), attrs(-1));
        Update withdrawn = (Update) b.next();
        assertEquals(List.of(KEY), withdrawn.withdrawals());
        assertEquals(List.of(), withdrawn.announcements());
        assertEquals(1, route().hops().size(), "still a route here");
        assertTrue(on(() -> plane.rib.export(KEY)).isEmpty());
    }

    /** An UPDATE that withdraws a route and then ends its channel (a malformed path) still passes the withdrawal on. */
    @Test
    void aWithdrawalInAnUpdateThatEndsTheChannelReachesTheOtherNeighbours() throws Exception {
        start(ControlConfig.DEFAULT);
        Peer a = new Peer("a", false).established();
        Peer b = new Peer("b", false).established();
        a.announce(List.of("a", "far"), attrs(-1));
        assertEquals(1, ((Update) b.next()).announcements().size());
        a.deliver(new Update(List.of(KEY), List.of(new Announcement(new RouteKey(0, new SkillName("demo/x")),
                List.of("mallory", "far"), attrs(-1)))));
        assertEquals(NotificationCode.MALFORMED_UPDATE, a.notification().code());
        assertEquals(List.of(KEY), ((Update) b.next()).withdrawals());
    }

    @Test
    void aWithdrawalInAnUpdateThatTripsMaxPrefixesReachesTheOtherNeighbours() throws Exception {
        start(new ControlConfig(Duration.ofMillis(50), Duration.ofSeconds(15), 100,
                Map.of("a", new BorderPolicy(RouteFilter.ALL, RouteFilter.ALL, 1, 32))));
        Peer a = new Peer("a", false).established();
        Peer b = new Peer("b", false).established();
        a.announce(List.of("a", "far"), attrs(-1));
        assertEquals(1, ((Update) b.next()).announcements().size());
        List<Announcement> two = List.of(
                new Announcement(new RouteKey(0, new SkillName("demo/x")), List.of("a", "far"), attrs(-1)),
                new Announcement(new RouteKey(0, new SkillName("demo/y")), List.of("a", "far"), attrs(-1)));
        a.deliver(new Update(List.of(KEY), two));
        assertEquals(NotificationCode.MAX_PREFIXES_EXCEEDED, a.notification().code());
        assertEquals(List.of(KEY), ((Update) b.next()).withdrawals());
    }

    @Test
    void aNeighbourWithoutABorderPolicyMayHoldFiftyThousandPrefixes() {
        assertEquals(50_000, ControlConfig.DEFAULT.border("anyone").maxPrefixes());
        assertEquals(32L << 20, ControlConfig.DEFAULT.border("anyone").maxRouteBytes());
    }

    /** Few prefixes with long paths and large attributes: the byte budget ends the channel, as max_prefixes would. */
    @Test
    void routesOverTheByteBudgetEndTheChannelAndAreWithdrawn() throws Exception {
        start(new ControlConfig(Duration.ofMillis(50), Duration.ofSeconds(15), 100,
                Map.of("a", new BorderPolicy(RouteFilter.ALL, RouteFilter.ALL, 1000, 32, 10_000))));
        Peer a = new Peer("a", false).established();
        Metadata big = attrs(-1).with(new Tlv(0x40, new byte[4000]));
        a.deliver(new Update(List.of(), List.of(new Announcement(KEY, List.of("a", "far"), big))));
        assertEquals(1, route().hops().size());
        a.deliver(new Update(List.of(), List.of(new Announcement(KEY, List.of("a", "far"), big)))); // replaces: same bytes
        a.deliver(new Update(List.of(), List.of(
                new Announcement(new RouteKey(0, new SkillName("demo/x")), List.of("a", "far"), big),
                new Announcement(new RouteKey(0, new SkillName("demo/y")), List.of("a", "far"), big))));
        Notification n = a.notification();
        assertEquals(NotificationCode.MAX_PREFIXES_EXCEEDED, n.code());
        assertTrue(n.detail().contains("bytes"), n.detail());
        assertEquals(null, route());
        assertEquals(0L, (long) on(() -> plane.rib.bytesFrom("a")));
    }

    @Test
    void ofTwoChannelsWithOneNeighbourTheOneTheGreaterNodeDialledStays() throws Exception {
        start(ControlConfig.DEFAULT);
        Peer ours = new Peer("zed", true); // self < zed: keep the link zed dialled
        ours.session = on(() -> plane.open(ours));
        assertTrue(ours.next() instanceof Open);
        ours.deliver(new Open("zed", 15_000, Metadata.EMPTY));
        Peer theirs = new Peer("zed", false).established();
        assertEquals(NotificationCode.CEASE, ours.notification().code());
        assertFalse(theirs.finished);
        assertTrue(on(() -> plane.hasChannel("zed")));
    }
}
