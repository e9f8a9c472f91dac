package io.acip.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.routing.NextHop;
import io.acip.wire.SkillName;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes with four event loops each: sessions spread over the loops, and legs on different loops are joined by relays
 * (sessions to and from links, which live on the home loop). Everything a single-loop node does must hold.
 */
class EventLoopsTest {
    private Fabric fabric;

    @BeforeEach
    void start() {
        fabric = new Fabric();
        fabric.eventLoops = 4;
    }

    @AfterEach
    void stop() {
        fabric.close();
    }

    @Test
    void concurrentSessionsSpreadOverLoopsAndEchoThroughRelays() throws Exception {
        Fabric.Line line = fabric.echoLine();
        int n = 48;
        List<Recorder> recorders = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        Set<Thread> loopsUsed = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Recorder r = new Recorder();
            recorders.add(r);
            line.edge().open(SessionRequest.stream(new SkillName("demo/echo"), "agent://test"), r);
        }
        for (int i = 0; i < n; i++) {
            Session s = recorders.get(i).opened.get(10, TimeUnit.SECONDS);
            assertEquals(List.of("edge", "transit", "far"), s.trajectory());
            CompletableFuture<Thread> on = new CompletableFuture<>();
            s.eventLoop().execute(() -> on.complete(Thread.currentThread()));
            loopsUsed.add(on.get(5, TimeUnit.SECONDS));
            byte[] payload = new byte[20_000 + i * 1000];
            new Random(i).nextBytes(payload);
            payloads.add(payload);
            s.write(Unpooled.wrappedBuffer(payload), true);
        }
        for (int i = 0; i < n; i++) {
            assertArrayEquals(payloads.get(i), recorders.get(i).finished.get(10, TimeUnit.SECONDS), "session " + i);
            recorders.get(i).closed.get(10, TimeUnit.SECONDS);
        }
        assertEquals(4, loopsUsed.size(), "initiators took every loop in turn");
        assertTrue(line.edge().stats().get("acip.setup.relayed") >= n / 2, "initiators off the home loop relay");
        assertTrue(line.far().stats().get("acip.setup.relayed") >= n / 2, "deliveries spread off the home loop");
        for (Node node : List.of(line.edge(), line.transit(), line.far())) {
            assertEquals(0, node.stats().get("acip.packet.malformed"), node.nodeId());
            awaitNoSessions(node);
        }
    }

    /** Datagram sessions run on their links' loops at both ends: a relay would cost more per packet than it spreads. */
    @Test
    void datagramSessionsStayOnTheirLinksLoops() throws Exception {
        Fabric.Line line = fabric.echoLine();
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Recorder r = new Recorder();
            recorders.add(r);
            line.edge().open(SessionRequest.datagram(new SkillName("demo/echo"), "agent://test"), r);
        }
        for (Recorder r : recorders) {
            Session s = r.opened.get(10, TimeUnit.SECONDS);
            byte[] sent = new byte[900];
            byte[] got = null;
            for (int attempt = 0; attempt < 50 && got == null; attempt++) { // datagrams may be lost: send again
                s.writeDatagram(Unpooled.wrappedBuffer(sent));
                got = r.datagrams.poll(200, TimeUnit.MILLISECONDS);
            }
            assertArrayEquals(sent, got);
            s.reset(io.acip.wire.ResetCode.CANCELLED, "done");
        }
        assertEquals(0, line.edge().stats().get("acip.setup.relayed"));
        assertEquals(0, line.far().stats().get("acip.setup.relayed"));
        for (Node node : List.of(line.edge(), line.transit(), line.far())) awaitNoSessions(node);
    }

    /**
     * A reader on the far side that stops reading: the writer at the edge is paused within a bounded number of bytes,
     * across the far node's relay, the links and the edge's relay, and resumes once the reader does.
     */
    @Test
    void backpressureCrossesRelays() throws Exception {
        Fabric.Line line = fabric.line();
        List<Session> readers = new java.util.concurrent.CopyOnWriteArrayList<>();
        long[] read = new long[1];
        fabric.serve(line.far(), "demo/slow", "slow-1", incoming -> new SessionHandler() {
            @Override
            public void onOpen(Session s) {
                s.setReadable(false);
                readers.add(s);
            }

            @Override
            public void onData(Session s, ByteBuf data, boolean fin) {
                read[0] += data.readableBytes();
            }

            @Override
            public void onReset(Session s, io.acip.wire.ResetCode code, String detail) {
            }
        });
        CompletableFuture<Boolean> paused = new CompletableFuture<>();
        CompletableFuture<Boolean> resumed = new CompletableFuture<>();
        Recorder r = new Recorder() {
            @Override
            public void onWritabilityChanged(Session s, boolean writable) {
                (writable ? resumed : paused).complete(true);
            }
        };
        // Several sessions: at least one initiator sits off the home loop, so its path crosses a relay at each end.
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Recorder each = i == 3 ? r : new Recorder();
            line.edge().open(SessionRequest.stream(new SkillName("demo/slow"), "agent://test"), each);
            sessions.add(each.opened.get(10, TimeUnit.SECONDS));
        }
        Session s = sessions.get(3);
        long[] written = new long[1];
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        s.eventLoop().execute(new Runnable() {
            @Override
            public void run() {
                while (s.isWritableByApplication() && written[0] < 64 << 20) {
                    s.write(Unpooled.wrappedBuffer(new byte[16 * 1024]), false);
                    written[0] += 16 * 1024;
                }
                if (written[0] >= 64 << 20 || paused.isDone()) {
                    stopped.complete(null);
                } else {
                    s.eventLoop().execute(this);
                }
            }
        });
        stopped.get(20, TimeUnit.SECONDS);
        assertTrue(paused.getNow(false), "the writer was paused");
        assertTrue(written[0] < 32 << 20, "paused after " + written[0] + " bytes");
        assertEquals(4, readers.size());
        readers.forEach(reader -> reader.setReadable(true));
        resumed.get(10, TimeUnit.SECONDS);
    }

    /** A SETUP handed to another loop that fails there fails over on the loop it came from, to the next candidate. */
    @Test
    void anAttemptThatFailsOnAnotherLoopFailsOver() throws Exception {
        Node transit = fabric.node("transit", List.of());
        Node far = fabric.node("far", List.of());
        Node edge = fabric.node("edge", List.of(Fabric.neighbour(transit), Fabric.neighbour(far)));
        Fabric.awaitLink(edge, transit);
        Fabric.awaitLink(edge, far);
        fabric.serve(far, "demo/echo", "echo-1", Echo.SKILL);
        SkillName demo = new SkillName("demo");
        edge.addRoute(0, demo, new NextHop.Neighbour("transit", 0, 1, "", Map.of())); // knows no route: refuses
        edge.addRoute(0, demo, new NextHop.Neighbour("far", 1, 1, "", Map.of()));
        for (int i = 0; i < 4; i++) { // every initiator loop, the home loop included
            Recorder r = new Recorder();
            edge.open(SessionRequest.stream(new SkillName("demo/echo"), "agent://test"), r);
            Session s = r.opened.get(10, TimeUnit.SECONDS);
            assertEquals(List.of("edge", "far"), s.trajectory());
            s.write(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), true);
            assertArrayEquals(new byte[] {1, 2, 3}, r.finished.get(10, TimeUnit.SECONDS));
        }
        assertEquals(4, edge.stats().get("acip.setup.failover"));
        assertEquals(4, transit.stats().get("acip.reset.sent.skill_unreachable"));
        assertEquals(0, edge.stats().get("acip.reset.sent.skill_unreachable"), "relays' RESETs are not counted");
    }

    /** A node's dialled links take the loops in turn; a listener has a socket on every loop. */
    @Test
    void linksSpreadOverTheLoops() throws Exception {
        List<Node> spokes = new ArrayList<>();
        List<NodeConfig.Neighbour> neighbours = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Node spoke = fabric.node("spoke" + i, List.of());
            fabric.serve(spoke, "demo/echo" + i, "echo-" + i, Echo.SKILL);
            spokes.add(spoke);
            neighbours.add(Fabric.neighbour(spoke));
            assertEquals(4, spoke.linkListeners(), "a listening socket per loop");
        }
        Node hub = fabric.node("hub", neighbours);
        Set<Object> loops = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            Fabric.awaitLink(hub, spokes.get(i));
            hub.addRoute(0, new SkillName("demo/echo" + i), new NextHop.Neighbour("spoke" + i, 0, 1, "", Map.of()));
            loops.add(hub.link("spoke" + i).quic.eventLoop());
            Recorder r = new Recorder();
            hub.open(SessionRequest.stream(new SkillName("demo/echo" + i), "agent://test"), r);
            Session s = r.opened.get(10, TimeUnit.SECONDS);
            s.write(Unpooled.wrappedBuffer(new byte[] {(byte) i}), true);
            assertArrayEquals(new byte[] {(byte) i}, r.finished.get(10, TimeUnit.SECONDS));
        }
        assertEquals(4, loops.size(), "each dialled link on a loop of its own");
    }

    /** Sockets that share a port must not let a second node in beside the first. */
    @Test
    void aSecondNodeOnATakenLinkPortIsRefused() throws Exception {
        Node first = fabric.node("first", List.of());
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> fabric.nodeAt("second", first.linkAddress()));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }

    private static void awaitNoSessions(Node node) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (node.activeSessions().get(5, TimeUnit.SECONDS) > 0 || !node.linkLabels().get(5, TimeUnit.SECONDS)
                .isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(node.nodeId() + " still holds " + node.activeSessions().get() + " sessions, "
                        + node.linkLabels().get());
            }
            Thread.yield(); // each check is a round trip through the node
        }
    }
}
