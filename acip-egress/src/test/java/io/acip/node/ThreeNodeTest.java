package io.acip.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.routing.NextHop;
import io.acip.wire.SkillName;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Edge, transit and far nodes in one JVM, linked over QUIC on loopback. */
class ThreeNodeTest {
    private Fabric fabric;
    private Node edge;
    private Node transit;
    private Node far;

    @BeforeEach
    void start() throws Exception {
        fabric = new Fabric();
        Fabric.Line line = fabric.echoLine();
        edge = line.edge();
        transit = line.transit();
        far = line.far();
    }

    @AfterEach
    void stop() {
        fabric.close();
    }

    @Test
    void streamSessionCrossesTransitAndEchoes() throws Exception {
        Recorder r = new Recorder();
        edge.open(io.acip.node.SessionRequest.stream(new SkillName("demo/echo"), "agent://test"), r);
        Session s = r.opened.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("edge", "transit", "far"), s.trajectory());
        assertEquals("echo-1", s.selectedInstance());

        // Labels: each link carries the session under its own label.
        List<String> atTransit = transit.linkLabels().get(5, TimeUnit.SECONDS);
        assertEquals(2, atTransit.size(), atTransit.toString());
        String edgeSide = atTransit.stream().filter(l -> l.startsWith("edge")).findFirst().orElseThrow();
        String farSide = atTransit.stream().filter(l -> l.startsWith("far")).findFirst().orElseThrow();
        assertNotEquals(edgeSide.split(" ")[1], farSide.split(" ")[1]);

        byte[] payload = new byte[200_000];
        new java.util.Random(1).nextBytes(payload);
        s.write(Unpooled.wrappedBuffer(payload), true);
        assertArrayEquals(payload, r.finished.get(10, TimeUnit.SECONDS));
        r.closed.get(10, TimeUnit.SECONDS);
        assertTrue(transit.linkLabels().get(5, TimeUnit.SECONDS).isEmpty(), "transit forgot the session");
        assertTrue(far.linkLabels().get(5, TimeUnit.SECONDS).isEmpty(), "far released its leg with the CLOSE");
        assertEquals(0, far.stats().get("acip.packet.malformed") + transit.stats().get("acip.packet.malformed"));
    }

    @Test
    void dataHeldForAPausedReaderSurvivesTheClose() throws Exception {
        java.util.concurrent.CompletableFuture<Void> farClosed = new java.util.concurrent.CompletableFuture<>();
        fabric.serve(far, "demo/once", "once", in -> new SessionHandler() {
            @Override
            public void onOpen(Session s) {
                s.write(Unpooled.copiedBuffer("all of it", StandardCharsets.UTF_8), true);
            }

            @Override
            public void onData(Session s, io.netty.buffer.ByteBuf data, boolean fin) {
            }

            @Override
            public void onClose(Session s) {
                farClosed.complete(null);
            }

            @Override
            public void onReset(Session s, io.acip.wire.ResetCode code, String detail) {
                farClosed.completeExceptionally(new IllegalStateException(detail));
            }
        });
        transit.addRoute(0, new SkillName("demo/once"), new NextHop.Neighbour("far", 0, 1, "", Map.of()));
        Recorder r = new Recorder() {
            @Override
            public void onOpen(Session s) {
                s.setReadable(false); // the application is busy: data and the CLOSE behind it wait
                s.write(Unpooled.EMPTY_BUFFER, true);
                super.onOpen(s);
            }
        };
        edge.open(SessionRequest.stream(new SkillName("demo/once"), "agent://test"), r);
        Session s = r.opened.get(10, TimeUnit.SECONDS);
        farClosed.get(10, TimeUnit.SECONDS);
        edge.linkLabels().get(5, TimeUnit.SECONDS); // the edge has taken in what reached it
        s.setReadable(true);
        assertArrayEquals("all of it".getBytes(StandardCharsets.UTF_8), r.finished.get(10, TimeUnit.SECONDS));
        r.closed.get(10, TimeUnit.SECONDS);
    }

    @Test
    void unknownSkillIsResetWithDetail() throws Exception {
        Recorder r = new Recorder();
        edge.open(SessionRequest.stream(new SkillName("demo/nope"), "agent://test"), r);
        String reset = r.reset.get(10, TimeUnit.SECONDS);
        assertTrue(reset.startsWith("skill_unreachable"), reset);
        assertTrue(reset.contains("transit"), reset);
    }

    @Test
    void hopLimitExceededIsReportedToInitiator() throws Exception {
        Recorder r = new Recorder();
        edge.open(SessionRequest.stream(new SkillName("demo/echo"), "agent://test").withHopLimit(1), r);
        String reset = r.reset.get(10, TimeUnit.SECONDS);
        assertTrue(reset.startsWith("hop_limit_exceeded"), reset);
    }

    @Test
    void datagramSessionEchoes() throws Exception {
        Recorder r = new Recorder();
        edge.open(SessionRequest.datagram(new SkillName("demo/echo"), "agent://test"), r);
        Session s = r.opened.get(10, TimeUnit.SECONDS);
        s.writeDatagram(Unpooled.copiedBuffer("ping", StandardCharsets.UTF_8));
        byte[] back = r.datagrams.poll(10, TimeUnit.SECONDS);
        assertEquals("ping", new String(back, StandardCharsets.UTF_8));
    }
}
