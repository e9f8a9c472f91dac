package io.acip.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.link.LinkConfig;
import io.acip.link.LinkTls;
import io.acip.link.QuicLinks;
import io.acip.wire.Limits;
import io.acip.wire.Metadata;
import io.acip.wire.Setup;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import io.acip.link.PacketFrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An authenticated but hostile neighbour feeds a transit node random and mutated packets on streams and in QUIC
 * DATAGRAMs. The node must answer what it can with RESET, drop the rest, and go on serving real sessions.
 */
class LinkFuzzTest {
    @Test
    void garbageFromANeighbourNeverBreaksTheNode() throws Exception {
        try (Fabric fabric = new Fabric()) {
            Fabric.Line line = fabric.line();
            Node edge = line.edge();
            Node transit = line.transit();
            Node far = line.far();
            fabric.serve(far, "demo/echo", "echo", Echo.SKILL);

            MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try {
                var identity = fabric.ca.issueNode("fuzzer", Fabric.VALIDITY);
                var tls = LinkTls.client(identity, fabric.ca.certificate());
                var codec = QuicLinks.configure(new QuicClientCodecBuilder(), LinkConfig.DEFAULT).sslContext(tls).build();
                Channel udp = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec).bind(0)
                        .sync().channel();
                QuicChannel quic = QuicChannel.newBootstrap(udp).handler(new ChannelInboundHandlerAdapter())
                        .streamHandler(new Discard()).remoteAddress(transit.linkAddress()).connect()
                        .get(10, TimeUnit.SECONDS);
                Random rnd = new Random(20261122);
                ByteBuf setup = new Setup(0x8000_0001, 5, false, new SkillName("demo/echo"), "agent://fuzz",
                        Metadata.of(Tlv.ofString(TlvType.TRAJECTORY, "x"), new Tlv(TlvType.KEY_SHARE, new byte[32])))
                        .encode(UnpooledByteBufAllocator.DEFAULT);
                byte[] valid = ByteBufUtil.getBytes(setup);
                setup.release();
                for (int i = 0; i < 300; i++) {
                    QuicStreamChannel stream = quic.createStream(QuicStreamType.BIDIRECTIONAL, new Discard())
                            .get(10, TimeUnit.SECONDS);
                    byte[] body = i % 3 == 0 ? random(rnd, 1 + rnd.nextInt(64)) : mutate(rnd, valid.clone());
                    ByteBuf out = Unpooled.buffer();
                    if (i % 5 == 0) {
                        out.writeBytes(body); // no framing at all
                    } else {
                        ByteBuf prefix = PacketFrameDecoder.prefix(UnpooledByteBufAllocator.DEFAULT,
                                i % 7 == 0 ? Limits.MAX_PACKET + 1 : body.length);
                        out.writeBytes(prefix);
                        prefix.release();
                        out.writeBytes(body);
                    }
                    stream.writeAndFlush(out);
                    if (i % 2 == 0) stream.shutdownOutput();
                    quic.writeAndFlush(Unpooled.wrappedBuffer(i % 2 == 0 ? random(rnd, rnd.nextInt(100))
                            : mutate(rnd, valid.clone())));
                }
                // A barrier: the transit has handled what it received once it answers a real session.
                Recorder r = new Recorder();
                edge.open(SessionRequest.stream(new SkillName("demo/echo"), "agent://t"), r);
                Session s = r.opened.get(10, TimeUnit.SECONDS);
                byte[] payload = "still serving".getBytes(StandardCharsets.UTF_8);
                s.write(Unpooled.wrappedBuffer(payload), true);
                assertArrayEquals(payload, r.finished.get(10, TimeUnit.SECONDS));
                long malformed = transit.stats().get("acip.packet.malformed") + transit.stats().get(
                        "acip.dgram.dropped.malformed") + transit.stats().get("acip.dgram.dropped.unknown_label");
                assertTrue(malformed > 100, "transit counted " + malformed + " bad packets: " + transit.stats().snapshot());
                quic.close().sync();
                udp.close().sync();
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        }
    }

    private static byte[] random(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] mutate(Random rnd, byte[] b) {
        for (int k = 1 + rnd.nextInt(4); k > 0; k--) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        return b;
    }

    /** Reads and drops whatever the node answers. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
