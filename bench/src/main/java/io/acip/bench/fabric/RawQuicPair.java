package io.acip.bench.fabric;

import io.acip.link.LinkConfig;
import io.acip.link.LinkTls;
import io.acip.link.QuicLinks;
import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Two bare Netty QUIC endpoints on loopback with exactly the links' settings ({@link QuicLinks#configure}, mutual
 * TLS from {@link LinkTls} with fabric node certificates) and, like a node, one event loop thread each: the ceiling
 * the ACIP figures are compared with. They write as links do, one flush per write (a stream chunk, a datagram), so
 * the comparison measures what ACIP adds, not a different flush policy. Use one pair per measurement: congestion
 * state left by one measurement would skew the next.
 */
public final class RawQuicPair implements MeasuredPath {
    /** The water marks links put on their streams (StreamInitializer), applied here to the writer's own count. */
    static final WriteBufferWaterMark LINK_WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

    private final MultiThreadIoEventLoopGroup serverGroup =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("raw-server"), NioIoHandler.newFactory());
    private final MultiThreadIoEventLoopGroup clientGroup =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("raw-client"), NioIoHandler.newFactory());
    private final LongAdder streamBytes = new LongAdder();
    private final LongAdder datagrams = new LongAdder();
    private Channel serverUdp;
    private Channel clientUdp;
    private QuicChannel client;

    private RawQuicPair() {
    }

    /**
     * Starts both endpoints and completes the QUIC handshake.
     *
     * @param socketBuffer UDP socket send and receive buffer size in bytes, or 0 for the OS default (as nodes use)
     */
    public static RawQuicPair start(FabricCa ca, LinkConfig link, int socketBuffer) throws Exception {
        RawQuicPair pair = new RawQuicPair();
        try {
            pair.connect(ca, link, socketBuffer);
            return pair;
        } catch (Exception | Error e) {
            pair.close();
            throw e;
        }
    }

    private void connect(FabricCa ca, LinkConfig link, int socketBuffer) throws Exception {
        Duration validity = Duration.ofHours(1);
        IssuedIdentity serverId = ca.issueNode("raw-server", validity);
        IssuedIdentity clientId = ca.issueNode("raw-client", validity);
        ChannelHandler serverCodec = QuicLinks.configure(new QuicServerCodecBuilder(), link)
                .sslContext(LinkTls.server(serverId, ca.certificate()))
                .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
                .handler(new DatagramCounter(datagrams))
                .streamHandler(new StreamCounter(streamBytes))
                .build();
        serverUdp = udp(serverGroup, socketBuffer).handler(serverCodec)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        InetSocketAddress server = (InetSocketAddress) serverUdp.localAddress();

        QuicSslContext clientTls = LinkTls.client(clientId, ca.certificate());
        ChannelHandler clientCodec = QuicLinks.configure(new QuicClientCodecBuilder(), link)
                .sslEngineProvider(q -> clientTls.newEngine(q.alloc(), server.getHostString(), server.getPort()))
                .build();
        clientUdp = udp(clientGroup, socketBuffer).handler(clientCodec)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        client = QuicChannel.newBootstrap(clientUdp)
                .handler(new ChannelInboundHandlerAdapter())
                .streamHandler(new ChannelInboundHandlerAdapter())
                .remoteAddress(server)
                .connect().get(10, TimeUnit.SECONDS);
    }

    private static Bootstrap udp(MultiThreadIoEventLoopGroup group, int socketBuffer) {
        Bootstrap b = new Bootstrap().group(group).channel(NioDatagramChannel.class);
        if (socketBuffer > 0) {
            b.option(ChannelOption.SO_RCVBUF, socketBuffer).option(ChannelOption.SO_SNDBUF, socketBuffer);
        }
        return b;
    }

    /**
     * Bulk transfer on one bidirectional stream, {@code chunk}-byte writes, while the stream is writable and less than
     * the links' high water mark of written bytes waits to enter QUIC.
     */
    @Override
    public Measurement stream(ByteBuf chunk, Duration warmup, Duration duration) throws Exception {
        StreamWriter writer = new StreamWriter();
        QuicStreamChannel stream = client.createStream(QuicStreamType.BIDIRECTIONAL, writer).get(5, TimeUnit.SECONDS);
        writer.pump = new Pump(stream.eventLoop()) {
            @Override
            protected boolean writable() {
                return stream.isWritable() && writer.queued < LINK_WATER_MARK.high();
            }

            @Override
            protected long writeOne() {
                int n = chunk.readableBytes();
                writer.queued += n;
                stream.writeAndFlush(chunk.retainedDuplicate()).addListener(writer.accepted(n));
                return n;
            }

            @Override
            protected int burst() {
                return 16;
            }
        };
        writer.pump.start();
        Measurement m = Measurement.window(streamBytes::sum, writer.pump, warmup, duration);
        writer.pump.stop();
        stream.close().await(5, TimeUnit.SECONDS);
        return m;
    }

    /** QUIC DATAGRAM frames of {@code payload}, written as fast as the connection's loop turns. */
    @Override
    public Measurement datagrams(ByteBuf payload, Duration warmup, Duration duration) throws Exception {
        Pump pump = new Pump(client.eventLoop()) {
            @Override
            protected boolean writable() {
                return client.isActive();
            }

            @Override
            protected long writeOne() {
                client.writeAndFlush(payload.retainedDuplicate(), client.voidPromise());
                return 1;
            }

            @Override
            protected int burst() {
                return 32;
            }
        };
        pump.start();
        Measurement m = Measurement.window(datagrams::sum, pump, warmup, duration);
        pump.stop();
        return m;
    }

    @Override
    public void close() {
        if (client != null) client.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (clientUdp != null) clientUdp.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (serverUdp != null) serverUdp.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        clientGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        serverGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * The client's stream handler and its own count of bytes written but not yet taken by QUIC. A QUIC stream
     * channel has no outbound buffer, so water marks set on it do nothing, and its {@code isWritable()} only says
     * whether QUIC has stream credit: it can read true while earlier writes still wait in the channel's queue. The
     * count is what bounds that queue.
     */
    private static final class StreamWriter extends ChannelInboundHandlerAdapter {
        Pump pump;
        /** Bytes written and not yet accepted by QUIC; confined to the stream's event loop. */
        long queued;
        private boolean resumeScheduled;

        ChannelFutureListener accepted(int bytes) {
            return f -> {
                queued -= bytes;
                if (queued <= LINK_WATER_MARK.low() && !resumeScheduled) {
                    // Not from inside the channel's write path that completed this promise: on the loop's next turn.
                    resumeScheduled = true;
                    f.channel().eventLoop().execute(() -> {
                        resumeScheduled = false;
                        pump.resume();
                    });
                }
            };
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (pump != null && ctx.channel().isWritable()) pump.resume();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Server side of every stream: counts and drops what arrives. */
    @ChannelHandler.Sharable
    private static final class StreamCounter extends ChannelInboundHandlerAdapter {
        private final LongAdder bytes;

        StreamCounter(LongAdder bytes) {
            this.bytes = bytes;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) bytes.add(b.readableBytes());
            ReferenceCountUtil.release(msg);
        }
    }

    /** Server side of the connection: counts DATAGRAM frames; streams pass on to their initializer. */
    @ChannelHandler.Sharable
    private static final class DatagramCounter extends ChannelInboundHandlerAdapter {
        private final LongAdder count;

        DatagramCounter(LongAdder count) {
            this.count = count;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                count.increment();
                b.release();
            } else {
                ctx.fireChannelRead(msg);
            }
        }
    }
}
