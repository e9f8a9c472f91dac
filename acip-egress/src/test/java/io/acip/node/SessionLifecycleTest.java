package io.acip.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.link.LinkConfig;
import io.acip.link.LinkTls;
import io.acip.link.QuicLinks;
import io.acip.routing.NextHop;
import io.acip.wire.Header;
import io.acip.wire.PacketType;
import io.acip.wire.SkillName;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Timeouts, lossy datagrams, big datagrams, skill proofs, silent neighbours and link redial. */
class SessionLifecycleTest {
    private static final SkillName ECHO = new SkillName("demo/echo");

    @Test
    void idleSessionIsResetWithTimeout() throws Exception {
        try (Fabric fabric = new Fabric()) {
            Node node = fabric.node("solo", List.of(), Duration.ofSeconds(5), Duration.ofSeconds(2),
                    Duration.ofMillis(300));
            fabric.serve(node, "demo/echo", "echo", Echo.SKILL);
            Recorder r = new Recorder();
            node.open(SessionRequest.stream(ECHO, "agent://t"), r);
            r.opened.get(5, TimeUnit.SECONDS);
            String reset = r.reset.get(10, TimeUnit.SECONDS);
            assertTrue(reset.startsWith("timeout") && reset.contains("idle"), reset);
        }
    }

    @Test
    void responderWhoseCertificateNamesAnotherSkillIsRefused() throws Exception {
        try (Fabric fabric = new Fabric()) {
            Node node = fabric.node("solo", List.of());
            node.attach(0, ECHO, LocalInstance.of("impostor", fabric.skill("demo/other"), Echo.SKILL));
            Recorder r = new Recorder();
            node.open(SessionRequest.stream(ECHO, "agent://t"), r);
            String reset = r.reset.get(10, TimeUnit.SECONDS);
            assertTrue(reset.startsWith("authentication_failed") && reset.contains("does not name"), reset);
        }
    }

    @Test
    void datagramsOfFifteenHundredBytesCrossLinks() throws Exception {
        try (Fabric fabric = new Fabric()) {
            Node far = fabric.node("far", List.of());
            Node edge = fabric.node("edge", List.of(Fabric.neighbour(far)));
            Fabric.awaitLink(edge, far);
            edge.addRoute(0, ECHO, new NextHop.Neighbour("far", 0, 1, "", Map.of()));
            fabric.serve(far, "demo/echo", "echo", Echo.SKILL);
            Recorder r = new Recorder();
            edge.open(SessionRequest.datagram(ECHO, "agent://t"), r);
            Session s = r.opened.get(10, TimeUnit.SECONDS);
            byte[] big = new byte[1500];
            new java.util.Random(3).nextBytes(big);
            s.writeDatagram(Unpooled.wrappedBuffer(big));
            org.junit.jupiter.api.Assertions.assertArrayEquals(big, r.datagrams.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void datagramSessionSurvivesLoss() throws Exception {
        try (Fabric fabric = new Fabric()) {
            Fabric.Line line = fabric.line();
            Node edge = line.edge();
            Node transit = line.transit();
            Node far = line.far();
            fabric.serve(far, "demo/echo", "echo", Echo.SKILL);
            AtomicInteger seen = new AtomicInteger();
            transit.transitTap = (packet, send) -> {
                // Lose every third datagram on its way out (requests only: labels from edge carry the dialler bit).
                if (Header.typeCode(packet) == PacketType.DGRAM.code && packet.getByte(packet.readerIndex() + 4) < 0
                        && seen.incrementAndGet() % 3 == 0) {
                    packet.release();
                    return;
                }
                send.accept(packet);
            };
            Recorder r = new Recorder();
            edge.open(SessionRequest.datagram(ECHO, "agent://t"), r);
            Session s = r.opened.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 30; i++) s.writeDatagram(Unpooled.wrappedBuffer(new byte[] {(byte) i}));
            Set<Integer> back = new HashSet<>();
            for (int i = 0; i < 20; i++) back.add((int) r.datagrams.poll(10, TimeUnit.SECONDS)[0]);
            assertEquals(20, back.size());
            for (int i = 2; i < 30; i += 3) assertTrue(!back.contains(i), "lost datagram " + i + " came back");
            // Loss is not an attack: the session stays open and later datagrams still pass.
            s.writeDatagram(Unpooled.wrappedBuffer(new byte[] {100}));
            assertEquals(100, r.datagrams.poll(10, TimeUnit.SECONDS)[0]);
        }
    }

    @Test
    void silentNeighbourTimesOutThenItsBreakerOpens() throws Exception {
        try (Fabric fabric = new Fabric()) {
            Node edge = fabric.node("edge", List.of(), Duration.ofSeconds(10), Duration.ofMillis(300),
                    Duration.ofMinutes(1));
            edge.attach(0, ECHO, new LocalInstance("local-echo", 1, 1, "", Map.of(), fabric.skill("demo/echo"),
                    Echo.SKILL)); // the fallback
            MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try {
                // A neighbour that completes the handshake and then never answers anything.
                var tls = LinkTls.client(fabric.ca.issueNode("silent", Fabric.VALIDITY), fabric.ca.certificate());
                Channel udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                        .handler(QuicLinks.configure(new QuicClientCodecBuilder(), LinkConfig.DEFAULT).sslContext(tls)
                                .build()).bind(0).sync().channel();
                QuicChannel.newBootstrap(udp).handler(new ChannelInboundHandlerAdapter()).streamHandler(new Swallow())
                        .remoteAddress(edge.linkAddress()).connect().get(10, TimeUnit.SECONDS);
                edge.linkReady("silent").get(10, TimeUnit.SECONDS);
                edge.addRoute(0, ECHO, new NextHop.Neighbour("silent", 0, 1, "", Map.of())); // preferred

                // Each SETUP waits out the attempt timeout on the silent neighbour, then fails over to the local echo.
                for (int i = 0; i < 3; i++) {
                    Recorder r = new Recorder();
                    edge.open(SessionRequest.stream(ECHO, "agent://t"), r);
                    assertEquals("local-echo", r.opened.get(10, TimeUnit.SECONDS).selectedInstance());
                }
                assertEquals(3, edge.stats().get("acip.setup.attempt_timeout"));
                // Three failures of three calls open the breaker: the next SETUP skips the neighbour without trying.
                Recorder r = new Recorder();
                edge.open(SessionRequest.stream(ECHO, "agent://t"), r);
                assertEquals("local-echo", r.opened.get(10, TimeUnit.SECONDS).selectedInstance());
                assertEquals(3, edge.stats().get("acip.setup.attempt_timeout"));
                assertEquals(1, edge.stats().get("acip.setup.breaker_open"));
                udp.close().sync();
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        }
    }

    @Test
    void anOpenCircuitToTheOnlyNextHopIsTriedAnywayRatherThanRefusingEverything() throws Exception {
        try (Fabric fabric = new Fabric()) {
            Node far = fabric.node("far", List.of());
            Node edge = fabric.node("edge", List.of(Fabric.neighbour(far)));
            Fabric.awaitLink(edge, far);
            AtomicInteger refusals = new AtomicInteger(3);
            fabric.serve(far, "demo/echo", "echo-1", in -> {
                if (refusals.getAndDecrement() > 0) {
                    throw new SessionRefusedException(io.acip.wire.ResetCode.DESTINATION_UNAVAILABLE, "warming up");
                }
                return Echo.SKILL.accept(in);
            });
            edge.addRoute(0, ECHO, new NextHop.Neighbour("far", 0, 1, "", Map.of()));
            for (int i = 0; i < 3; i++) { // three failures of three calls: far's breaker opens
                Recorder r = new Recorder();
                edge.open(SessionRequest.stream(ECHO, "agent://t"), r);
                assertTrue(r.reset.get(10, TimeUnit.SECONDS).startsWith("destination_unavailable"));
            }
            // far is the only next hop and has recovered: the SETUP goes there despite the open circuit.
            Recorder r = new Recorder();
            edge.open(SessionRequest.stream(ECHO, "agent://t"), r);
            assertEquals("echo-1", r.opened.get(10, TimeUnit.SECONDS).selectedInstance());
            assertEquals(1, edge.stats().get("acip.setup.breaker_open"));
            assertEquals(1, edge.stats().get("acip.setup.breaker_panic"));
        }
    }

    @Test
    void linkIsRedialledWhenTheNeighbourComesBack() throws Exception {
        try (Fabric fabric = new Fabric()) {
            Node far = fabric.node("far", List.of());
            InetSocketAddress address = far.linkAddress();
            Node edge = fabric.node("edge", List.of(new NodeConfig.Neighbour("far", address)));
            Fabric.awaitLink(edge, far);
            far.close();
            Node again = fabric.nodeAt("far", address);
            edge.linkReady("far").get(20, TimeUnit.SECONDS);
            again.linkReady("edge").get(20, TimeUnit.SECONDS);
            assertTrue(edge.stats().get("acip.link.down") >= 1);
        }
    }

    /** Takes every stream and says nothing. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class Swallow extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
