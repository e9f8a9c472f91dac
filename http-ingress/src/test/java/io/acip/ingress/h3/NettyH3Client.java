package io.acip.ingress.h3;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamLimitChangedEvent;
import io.netty.handler.codec.quic.QuicStreamResetException;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Netty's QUIC and HTTP/3 client, one connection per instance: for what friendlier clients will not do (open a
 * request stream and send nothing, send an oversize header section, open streams past the limit).
 */
final class NettyH3Client implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    private final MultiThreadIoEventLoopGroup group =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("test-h3-client"), NioIoHandler.newFactory());
    /** How the listener closed the connection, when it did. */
    final CompletableFuture<QuicConnectionCloseEvent> closedByPeer = new CompletableFuture<>();
    /** Released each time the listener's MAX_STREAMS lets more streams open (Netty tells when it had none left). */
    final Semaphore streamLimitChanged = new Semaphore(0);
    private final Channel udp;
    final QuicChannel quic;

    /** Connects, or throws what the handshake failed with (a refused connection among others). */
    NettyH3Client(InetSocketAddress listener, X509Certificate ca) throws Exception {
        QuicSslContext tls = QuicSslContextBuilder.forClient().trustManager(ca)
                .applicationProtocols(Http3.supportedApplicationProtocols()).build();
        ChannelHandler codec = Http3.newQuicClientCodecBuilder()
                .sslEngineProvider(q -> tls.newEngine(q.alloc(), "localhost", listener.getPort()))
                .maxIdleTimeout(30, TimeUnit.SECONDS)
                .initialMaxData(1 << 20)
                .initialMaxStreamDataBidirectionalLocal(1 << 18)
                .initialMaxStreamDataBidirectionalRemote(1 << 18)
                .build();
        Channel bound = null;
        try {
            bound = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec)
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
            udp = bound;
            quic = QuicChannel.newBootstrap(udp)
                    .handler(new ChannelInitializer<QuicChannel>() {
                        @Override
                        protected void initChannel(QuicChannel ch) {
                            ch.pipeline().addLast(new Http3ClientConnectionHandler(), new CloseEvents());
                        }
                    })
                    .remoteAddress(listener)
                    .connect().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception | Error e) {
            if (bound != null) bound.close().awaitUninterruptibly(2, TimeUnit.SECONDS); // and the half-open QUIC one
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
    }

    /** A new request stream whose events go to {@code stream}; fails when the listener's stream limit is reached. */
    QuicStreamChannel open(Stream stream) throws Exception {
        return Http3.newRequestStream(quic, stream).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Http3HeadersFrame post(String authority, String path) {
        Http3HeadersFrame frame = new DefaultHttp3HeadersFrame();
        frame.headers().method("POST").scheme("https").authority(authority).path(path);
        return frame;
    }

    @Override
    public void close() {
        quic.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        udp.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One request stream as the client sees it: the response status, and how the stream ended. */
    static final class Stream extends Http3RequestStreamInboundHandler {
        final CompletableFuture<Integer> status = new CompletableFuture<>();
        /** The application error code of the listener's RESET_STREAM, or -1 for an ordinary end. */
        final CompletableFuture<Long> ended = new CompletableFuture<>();

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
            CharSequence s = frame.headers().status();
            if (s != null) status.complete(Integer.parseInt(s.toString()));
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
            frame.release();
        }

        @Override
        protected void channelInputClosed(ChannelHandlerContext ctx) {
            ended.complete(-1L);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof QuicStreamResetException reset) {
                ended.complete(reset.applicationProtocolCode());
            } else {
                ended.completeExceptionally(cause);
                status.completeExceptionally(cause);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ended.complete(-1L);
            status.completeExceptionally(new IllegalStateException("the stream closed without a response"));
            ctx.fireChannelInactive();
        }
    }

    private final class CloseEvents extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof QuicConnectionCloseEvent close) closedByPeer.complete(close);
            if (evt instanceof QuicStreamLimitChangedEvent) streamLimitChanged.release();
            ctx.fireUserEventTriggered(evt);
        }
    }
}
