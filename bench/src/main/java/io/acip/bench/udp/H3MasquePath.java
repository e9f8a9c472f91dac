package io.acip.bench.udp;

import io.acip.capsule.CapsuleListener;
import io.acip.capsule.CapsuleParser;
import io.acip.capsule.CapsuleType;
import io.acip.capsule.CodecException;
import io.acip.capsule.DatagramPayload;
import io.acip.capsule.VarInt;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.http3.Http3SettingsFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicDatagramExtensionEvent;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * CONNECT-UDP over HTTP/3 (RFC 9298 over RFC 9220 extended CONNECT) from a Netty QUIC + HTTP/3 client on one event
 * loop ({@code client-h3}): UDP payloads go both ways as HTTP Datagrams in QUIC DATAGRAM frames (RFC 9297 §2.1:
 * quarter stream ID, context ID 0, payload). The client sends SETTINGS_H3_DATAGRAM=1, negotiates QUIC DATAGRAM
 * frames and raises the UDP payload sizes so a 1200-byte payload fits one frame. Payloads that come back as DATAGRAM
 * capsules on the request stream count too.
 */
public final class H3MasquePath implements EchoPath {
    /** As the gateway's listener: a full 1200-byte payload plus QUIC and HTTP Datagram headers fits one packet. */
    private static final int MAX_SEND_UDP_PAYLOAD = 1452;
    private static final int MAX_RECV_UDP_PAYLOAD = 65_527;
    private static final int DATAGRAM_QUEUE = 4096;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MultiThreadIoEventLoopGroup group =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("client-h3"), NioIoHandler.newFactory());
    private final CompletableFuture<Http3SettingsFrame> peerSettings = new CompletableFuture<>();
    private final CompletableFuture<Integer> datagramMax = new CompletableFuture<>();
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private final List<String> notes = new ArrayList<>();
    private EchoWindow window;
    private Channel udp;
    private QuicChannel quic;
    private QuicStreamChannel stream;
    private long quarterStreamId = -1;
    private long sendFailures;
    private long wrongDatagrams;
    private long capsuleEchoes;
    private volatile String streamEnd;

    /**
     * Connects to the gateway's HTTP/3 listener at {@code listener} (trusting {@code ca}) and opens a CONNECT-UDP
     * flow to {@code target}; returns once the gateway answered 200.
     */
    public H3MasquePath(InetSocketAddress listener, X509Certificate ca, InetSocketAddress target, Payload payload,
                        int windowSize, Duration lossTimeout) throws Exception {
        try {
            open(listener, ca, target, payload, windowSize, lossTimeout);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private void open(InetSocketAddress listener, X509Certificate ca, InetSocketAddress target, Payload payload,
                      int windowSize, Duration lossTimeout) throws Exception {
        QuicSslContext tls = QuicSslContextBuilder.forClient().trustManager(ca)
                .applicationProtocols(Http3.supportedApplicationProtocols()).build();
        ChannelHandler codec = Http3.newQuicClientCodecBuilder()
                // The gateway's certificate names localhost and 127.0.0.1; the engine needs the peer to check it.
                .sslEngineProvider(q -> tls.newEngine(q.alloc(), "localhost", listener.getPort()))
                .maxIdleTimeout(30, TimeUnit.SECONDS)
                .maxRecvUdpPayloadSize(MAX_RECV_UDP_PAYLOAD)
                .maxSendUdpPayloadSize(MAX_SEND_UDP_PAYLOAD)
                .initialMaxData(16 << 20)
                .initialMaxStreamDataBidirectionalLocal(4 << 20)
                .initialMaxStreamDataBidirectionalRemote(4 << 20)
                .initialMaxStreamsBidirectional(16)
                .datagram(DATAGRAM_QUEUE, DATAGRAM_QUEUE)
                .build();
        udp = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        Http3Settings settings = Http3Settings.defaultSettings().enableH3Datagram(true); // RFC 9297 §2.1.1
        quic = QuicChannel.newBootstrap(udp)
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel ch) {
                        ch.pipeline().addLast(new Http3ClientConnectionHandler(new ControlFrames(), null, null,
                                new DefaultHttp3SettingsFrame(settings), true), new Datagrams());
                    }
                })
                .remoteAddress(listener)
                .connect().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Http3SettingsFrame peer = peerSettings.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (!Boolean.TRUE.equals(peer.settings().connectProtocolEnabled())
                || !Boolean.TRUE.equals(peer.settings().h3DatagramEnabled())) {
            throw new IllegalStateException("the listener's SETTINGS lack extended CONNECT or H3_DATAGRAM: " + peer);
        }
        int maxDatagram = datagramMax.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        stream = Http3.newRequestStream(quic, new Answers()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        quarterStreamId = stream.streamId() / 4;
        byte[] prefix = new byte[VarInt.length(quarterStreamId) + VarInt.length(DatagramPayload.UDP_PAYLOAD_CONTEXT)];
        VarInt.write(prefix, VarInt.write(prefix, 0, quarterStreamId), DatagramPayload.UDP_PAYLOAD_CONTEXT);
        if (prefix.length + payload.size() > maxDatagram) {
            throw new IllegalArgumentException("a " + payload.size() + "-byte payload does not fit a QUIC DATAGRAM"
                    + " (at most " + (maxDatagram - prefix.length) + " here)");
        }
        Http3HeadersFrame request = new DefaultHttp3HeadersFrame();
        Http3Headers h = request.headers();
        h.method("CONNECT").protocol("connect-udp").scheme("https").authority("localhost:" + listener.getPort())
                .path(MasquePaths.connectUdp(target)).add("capsule-protocol", "?1");
        stream.writeAndFlush(request).sync();
        int answer = status.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (answer != 200) throw new IllegalStateException("CONNECT-UDP over HTTP/3 answered " + answer);

        ChannelFutureListener onWritten = f -> {
            if (!f.isSuccess()) sendFailures++; // the QUIC DATAGRAM queue was full, or the connection went away
        };
        window = new EchoWindow(quic.eventLoop(), windowSize, lossTimeout, new EchoWindow.Sender() {
            @Override
            public boolean send(long seq) {
                ByteBuf b = quic.alloc().directBuffer(prefix.length + payload.size());
                b.writeBytes(prefix);
                payload.writeTo(b, seq);
                quic.write(b).addListener(onWritten);
                return true;
            }

            @Override
            public void flush() {
                quic.flush();
            }
        });
    }

    @Override
    public EchoWindow window() {
        return window;
    }

    @Override
    public List<String> notes() {
        List<String> out = new ArrayList<>(notes);
        if (sendFailures > 0) out.add(sendFailures + " QUIC DATAGRAM writes failed (queue full)");
        if (wrongDatagrams > 0) out.add(wrongDatagrams + " QUIC DATAGRAMs for another stream or context");
        if (capsuleEchoes > 0) out.add(capsuleEchoes + " echoes came back as DATAGRAM capsules, not QUIC DATAGRAMs");
        if (streamEnd != null) out.add("the request stream ended during the run: " + streamEnd);
        return out;
    }

    @Override
    public void close() {
        if (stream != null) stream.shutdownOutput().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (quic != null) quic.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (udp != null) udp.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** An echo's sequence number, from the UDP payload that starts at {@code index}. */
    private void echo(ByteBuf b, int index) {
        if (b.writerIndex() - index >= Payload.MIN_SIZE) window.onEcho(Payload.seq(b, index));
    }

    /** The listener's control stream: its SETTINGS. */
    private final class ControlFrames extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http3SettingsFrame s) peerSettings.complete(s);
            ReferenceCountUtil.release(msg);
        }
    }

    /** QUIC DATAGRAM frames (HTTP Datagrams) and the DATAGRAM extension's negotiated size. */
    private final class Datagrams extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf b)) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                int at = b.readerIndex();
                long q = readVarInt(b, at);
                at += varIntLength(b, at);
                long context = readVarInt(b, at);
                at += varIntLength(b, at);
                if (q != quarterStreamId || context != DatagramPayload.UDP_PAYLOAD_CONTEXT || window == null) {
                    wrongDatagrams++;
                    return;
                }
                echo(b, at);
            } finally {
                b.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (window != null) window.refill();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof QuicDatagramExtensionEvent d) datagramMax.complete(d.maxLength());
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** The request stream: the response head, then a capsule stream (RFC 9297 §3). */
    private final class Answers extends Http3RequestStreamInboundHandler implements CapsuleListener {
        private final CapsuleParser capsules = new CapsuleParser(1 << 16, this);

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
            CharSequence s = frame.headers().status();
            status.complete(s == null ? -1 : Integer.parseInt(s.toString()));
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
            try {
                capsules.feed(frame.content().nioBuffer());
            } catch (CodecException e) {
                streamEnd = "malformed capsule: " + e.getMessage();
                ctx.close();
            } finally {
                frame.release();
            }
        }

        @Override
        public boolean wants(long type) {
            return type == CapsuleType.DATAGRAM;
        }

        @Override
        public void onCapsule(long type, java.nio.ByteBuffer value) throws CodecException {
            DatagramPayload p = DatagramPayload.parse(value);
            if (window != null && p.isUdpPayload() && p.data().remaining() >= Payload.MIN_SIZE) {
                capsuleEchoes++;
                window.onEcho(p.data().getLong(p.data().position()));
            }
        }

        @Override
        protected void channelInputClosed(ChannelHandlerContext ctx) {
            if (streamEnd == null) streamEnd = "FIN from the gateway";
            status.complete(-1);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            status.complete(-1);
            super.channelInactive(ctx);
        }
    }

    /** RFC 9000 §16 variable-length integer at {@code index}. */
    static long readVarInt(ByteBuf b, int index) {
        int first = b.getUnsignedByte(index);
        return switch (first >> 6) {
            case 0 -> first;
            case 1 -> b.getUnsignedShort(index) & 0x3fff;
            case 2 -> b.getUnsignedInt(index) & 0x3fff_ffffL;
            default -> b.getLong(index) & 0x3fff_ffff_ffff_ffffL;
        };
    }

    static int varIntLength(ByteBuf b, int index) {
        return 1 << (b.getUnsignedByte(index) >> 6);
    }
}
