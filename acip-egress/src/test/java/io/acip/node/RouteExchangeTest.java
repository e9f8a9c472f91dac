package io.acip.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.control.Open;
import io.acip.control.RouteAttributes;
import io.acip.control.RouteView;
import io.acip.link.PacketFrameDecoder;
import io.acip.routing.NextHop;
import io.acip.routing.Route;
import io.acip.wire.Header;
import io.acip.wire.Metadata;
import io.acip.wire.PacketType;
import io.acip.wire.Reset;
import io.acip.wire.ResetCode;
import io.acip.wire.SkillName;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Route exchange over real links on loopback (docs/acip-v0.md §12): nodes with no static routes learn where skills
 * are, follow attach and detach within a second, fail over without a new exchange, and stay loop-free in a ring.
 */
class RouteExchangeTest {
    static final SkillName ECHO = new SkillName("demo/echo");

    private Fabric fabric;

    @BeforeEach
    void start() {
        fabric = new Fabric();
    }

    @AfterEach
    void stop() {
        fabric.close();
    }

    /** Attaches {@link Echo} as {@code skill} on {@code node} and announces it, as the gateway does for its agents. */
    private void serve(Node node, SkillName skill, String instance) {
        fabric.serve(node, skill.value(), instance, Echo.SKILL);
        node.control().originate(0, skill, instance, new RouteAttributes(RouteAttributes.ORIGIN_ATTACHED, "eu-west",
                Map.of(), -1, -1));
    }

    private static void awaitRoute(Node node, SkillName skill) throws Exception {
        node.control().awaitRoutes(t -> t.lookup(0, skill).isPresent()).get(10, TimeUnit.SECONDS);
    }

    private static Session echo(Node from, SkillName skill) throws Exception {
        Recorder r = new Recorder();
        from.open(SessionRequest.stream(skill, "agent://test"), r);
        Session s = r.opened.get(10, TimeUnit.SECONDS);
        s.write(Unpooled.copiedBuffer("hi", StandardCharsets.UTF_8), true);
        assertEquals("hi", new String(r.finished.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        return s;
    }

    @Test
    void edgeWithoutStaticRoutesReachesTheFarSkill() throws Exception {
        Node transit = fabric.node("transit", List.of());
        Node far = fabric.node("far", List.of(Fabric.neighbour(transit)));
        Node edge = fabric.node("edge", List.of(Fabric.neighbour(transit)));
        serve(far, ECHO, "echo-1");
        awaitRoute(edge, ECHO);
        assertEquals(List.of("edge", "transit", "far"), echo(edge, ECHO).trajectory());

        RouteView learned = edge.control().routes().get(5, TimeUnit.SECONDS).stream()
                .filter(v -> v.prefix().equals("demo/echo")).findFirst().orElseThrow();
        assertEquals("learned", learned.source());
        assertEquals(List.of("transit", "far"), learned.path());
        assertEquals("eu-west", learned.region());
        assertTrue(learned.best());
        assertEquals(0, edge.stats().get("acip.control.path.rejected"));
    }

    @Test
    void attachedAtRunTimeReachableWithinASecondAndGoneWithinASecondOfDetach() throws Exception {
        Node transit = fabric.node("transit", List.of());
        Node far = fabric.node("far", List.of(Fabric.neighbour(transit)));
        Node edge = fabric.node("edge", List.of(Fabric.neighbour(transit)));
        Fabric.awaitLink(edge, transit);
        Fabric.awaitLink(far, transit);
        SkillName late = new SkillName("demo/late");

        long t0 = System.nanoTime();
        serve(far, late, "late-1");
        awaitRoute(edge, late);
        long learnMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(learnMs < 1000, "learned in " + learnMs + " ms");
        echo(edge, late);

        t0 = System.nanoTime();
        far.detach(0, late, "late-1");
        far.control().withdraw(0, late, "late-1");
        edge.control().awaitRoutes(t -> t.lookup(0, late).isEmpty()).get(5, TimeUnit.SECONDS);
        long withdrawMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(withdrawMs < 1000, "withdrawn in " + withdrawMs + " ms");
        Recorder r = new Recorder();
        edge.open(SessionRequest.stream(late, "agent://test"), r);
        String reset = r.reset.get(10, TimeUnit.SECONDS);
        assertTrue(reset.startsWith("skill_unreachable"), reset);
        assertTrue(reset.contains("at node edge"), reset);
    }

    /** edge–a–far and edge–b–c–far: the shorter path wins; when a dies, sessions take b at once. */
    @Test
    void preferredLinkDiesAndTrafficMovesWithoutANewExchange() throws Exception {
        Node far = fabric.node("far", List.of());
        Node c = fabric.node("c", List.of(Fabric.neighbour(far)));
        Node a = fabric.node("a", List.of(Fabric.neighbour(far)));
        Node b = fabric.node("b", List.of(Fabric.neighbour(c)));
        Node edge = fabric.node("edge", List.of(Fabric.neighbour(a), Fabric.neighbour(b)));
        serve(far, ECHO, "echo-1");
        edge.control().awaitRoutes(t -> t.lookup(0, ECHO).map(r -> r.hops().size() == 2).orElse(false))
                .get(10, TimeUnit.SECONDS);
        Route route = edge.routes().lookup(0, ECHO).orElseThrow();
        assertEquals(100, priorityOf(route, "a"));
        assertEquals(101, priorityOf(route, "b"));
        assertEquals(List.of("edge", "a", "far"), echo(edge, ECHO).trajectory());

        long updates = edge.stats().get("acip.control.update.received");
        a.close();
        assertEquals(List.of("edge", "b", "c", "far"), echo(edge, ECHO).trajectory());
        assertEquals(updates, edge.stats().get("acip.control.update.received"), "no UPDATE was needed");
    }

    /**
     * §12.1: the dialler opens a link's control channel, once. Another stream opening with an OPEN, from either side,
     * is refused on that stream and the channel stays: no routes withdrawn, no table dumped again.
     */
    @Test
    void aSecondControlStreamFromEitherSideIsRefusedAndTheChannelStays() throws Exception {
        Node b = fabric.node("b", List.of());
        Node a = fabric.node("a", List.of(Fabric.neighbour(b))); // a dials b
        serve(b, ECHO, "echo-1");
        awaitRoute(a, ECHO);
        long established = a.stats().get("acip.control.channel.established")
                + b.stats().get("acip.control.channel.established");

        Reset fromDialler = openControlStream(a.link("b").quic, "a");
        assertEquals(ResetCode.PROTOCOL_VIOLATION, fromDialler.code());
        assertTrue(fromDialler.detail().contains("already"), fromDialler.detail());
        Reset fromAcceptor = openControlStream(b.link("a").quic, "b");
        assertEquals(ResetCode.PROTOCOL_VIOLATION, fromAcceptor.code());
        assertTrue(fromAcceptor.detail().contains("dialler"), fromAcceptor.detail());

        assertEquals(1, b.stats().get("acip.control.stream.refused"));
        assertEquals(1, a.stats().get("acip.control.stream.refused"));
        assertEquals(established, a.stats().get("acip.control.channel.established")
                + b.stats().get("acip.control.channel.established"));
        assertEquals(0, a.stats().get("acip.control.withdrawal.received"));
        assertEquals(List.of("a", "b"), echo(a, ECHO).trajectory());
        // The channel still carries routes both ways.
        SkillName late = new SkillName("demo/late");
        serve(b, late, "late-1");
        awaitRoute(a, late);
    }

    /** Opens a stream on {@code quic} whose first packet is an OPEN from {@code self}, and returns the node's answer. */
    private static Reset openControlStream(QuicChannel quic, String self) throws Exception {
        CompletableFuture<ByteBuf> answer = new CompletableFuture<>();
        QuicStreamChannel stream = quic.createStream(QuicStreamType.BIDIRECTIONAL,
                new ChannelInitializer<QuicStreamChannel>() {
                    @Override
                    protected void initChannel(QuicStreamChannel ch) {
                        ch.pipeline().addLast(new PacketFrameDecoder(), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (!answer.complete((ByteBuf) msg)) ((ByteBuf) msg).release();
                            }
                        });
                    }
                }).get(10, TimeUnit.SECONDS);
        ByteBuf open = new Open(self, 15_000, Metadata.EMPTY).encode(ByteBufAllocator.DEFAULT);
        stream.write(PacketFrameDecoder.prefix(ByteBufAllocator.DEFAULT, open.readableBytes()));
        stream.writeAndFlush(open);
        ByteBuf packet = answer.get(10, TimeUnit.SECONDS);
        try {
            assertEquals(PacketType.RESET.code, Header.typeCode(packet), "the answer to a second OPEN stream");
            return Reset.decode(packet);
        } finally {
            packet.release();
            stream.close();
        }
    }

    private static int priorityOf(Route r, String neighbour) {
        return r.hops().stream().filter(h -> h instanceof NextHop.Neighbour n && n.nodeId().equals(neighbour))
                .findFirst().orElseThrow().priority();
    }

    /** n1–n2–n3–n4–n1 with the skill at n3: every node converges on a loop-free path, through a node's departure. */
    @Test
    void ringOfFourConvergesLoopFree() throws Exception {
        Node n1 = fabric.node("n1", List.of());
        Node n2 = fabric.node("n2", List.of(Fabric.neighbour(n1)));
        Node n3 = fabric.node("n3", List.of(Fabric.neighbour(n2)));
        Node n4 = fabric.node("n4", List.of(Fabric.neighbour(n3), Fabric.neighbour(n1)));
        serve(n3, ECHO, "echo-1");
        // n1 and n4 hear the skill both ways round; n2 only from n3 (n1's best path runs through n2, §12.4).
        for (Node n : List.of(n1, n4)) {
            n.control().awaitRoutes(t -> t.lookup(0, ECHO).map(r -> r.hops().size() == 2).orElse(false))
                    .get(10, TimeUnit.SECONDS);
        }
        awaitRoute(n2, ECHO);
        for (Node n : List.of(n1, n2, n3, n4)) {
            for (RouteView v : n.control().routes().get(5, TimeUnit.SECONDS)) {
                assertFalse(v.path().contains(n.nodeId()), n.nodeId() + " holds a path through itself: " + v);
            }
        }
        assertEquals(3, echo(n1, ECHO).trajectory().size()); // n2 and n4 share n1's sessions: equal paths
        assertEquals(2, echo(n2, ECHO).trajectory().size());
        assertEquals(2, echo(n4, ECHO).trajectory().size());

        java.net.InetSocketAddress n2At = n2.linkAddress();
        n2.close(); // n1 now reaches n3 only the long way round, learned from n4
        n1.control().awaitRoutes(t -> t.lookup(0, ECHO).map(r -> r.hops().size() == 1).orElse(false))
                .get(10, TimeUnit.SECONDS);
        assertEquals(List.of("n1", "n4", "n3"), echo(n1, ECHO).trajectory());
        Optional<RouteView> viaN4 = n1.control().routes().get(5, TimeUnit.SECONDS).stream()
                .filter(v -> v.prefix().equals("demo/echo")).findFirst();
        assertEquals(List.of("n4", "n3"), viaN4.orElseThrow().path());

        Node back = fabric.nodeAt("n2", n2At, List.of(Fabric.neighbour(n1))); // n3 redials it where it was
        n1.control().awaitRoutes(t -> t.lookup(0, ECHO).map(r -> r.hops().size() == 2).orElse(false))
                .get(10, TimeUnit.SECONDS);
        assertEquals(2, echo(back, ECHO).trajectory().size());
    }
}
