package io.acip.ingress.h3;

import io.acip.ingress.ConnectionsPerIp;
import io.acip.ingress.DatagramTransport;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.ThrottledLog;
import io.acip.ingress.jetty.IngressConfig;
import io.acip.ingress.jetty.IngressCounters;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http3.DefaultHttp3GoAwayFrame;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's HTTP/3 listener (RFC 9114) on Netty QUIC: ordinary requests become {@link io.acip.ingress.Exchange}s
 * and CONNECT-UDP requests (RFC 9298 over RFC 9220 extended CONNECT) become {@link io.acip.ingress.UdpFlow}s, fed to
 * the same {@link IngressHandler} as the Jetty listeners. It presents {@link IngressConfig#tlsIdentity()} with ALPN
 * {@code h3}, advertises SETTINGS_ENABLE_CONNECT_PROTOCOL and SETTINGS_H3_DATAGRAM, and negotiates QUIC DATAGRAM
 * frames for HTTP Datagrams (RFC 9297). Its socket and every connection run on one event loop of
 * {@link IngressConfig#datagramTransport()}: on epoll, QUIC packets of one connection that leave together are sent
 * as one UDP GSO write.
 */
public final class Http3Listener implements AutoCloseable {
    /** QUIC DATAGRAM frames queued per connection each way before new ones are dropped. */
    private static final int DATAGRAM_QUEUE = 1024;
    /** Largest UDP payload the listener accepts; QUIC packets are at most this big in (RFC 9000 §18.2). */
    private static final int MAX_RECV_UDP_PAYLOAD = 65_527;
    /**
     * Largest QUIC packet sent: 1500-byte Ethernet MTU less IPv6 and UDP headers, so that a full-size (1200+ byte)
     * UDP payload fits in a QUIC DATAGRAM frame (quiche's default, 1200, leaves about 1168 for the frame).
     */
    private static final int MAX_SEND_UDP_PAYLOAD = 1452;
    /** Packets of one connection sent by one UDP GSO write at most (64 KiB per write: 45 full-size packets). */
    private static final int GSO_SEGMENTS = 16;

    /** RFC 9000 §20.1: the server refuses to accept a new connection. */
    private static final int CONNECTION_REFUSED = 0x02;
    private static final ThrottledLog REFUSALS = new ThrottledLog(
            java.util.logging.Logger.getLogger(Http3Listener.class.getName()), Duration.ofSeconds(10));

    private final IngressConfig config;
    private final InetSocketAddress udpAddress;
    private final ListenerContext context;
    private final ChannelGroup connections = new DefaultChannelGroup("acip-h3", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup group;
    private Channel channel;

    /**
     * @param perIp open connections per client IP address, shared with the TCP listeners so that one cap covers
     *     both
     */
    public Http3Listener(IngressConfig config, InetSocketAddress udpAddress, IngressHandler handler,
                         IngressCounters counters, ConnectionsPerIp perIp) {
        this(config, udpAddress, handler, counters, config.udpIdleTimeout(), perIp);
    }

    /** With another CONNECT-UDP idle timeout than the config's (at least 2 minutes): for tests only. */
    Http3Listener(IngressConfig config, InetSocketAddress udpAddress, IngressHandler handler,
                  IngressCounters counters, Duration udpIdleTimeout) {
        this(config, udpAddress, handler, counters, udpIdleTimeout, new ConnectionsPerIp(config.maxConnectionsPerIp()));
    }

    private Http3Listener(IngressConfig config, InetSocketAddress udpAddress, IngressHandler handler,
                          IngressCounters counters, Duration udpIdleTimeout, ConnectionsPerIp perIp) {
        this.config = Objects.requireNonNull(config, "config");
        this.udpAddress = Objects.requireNonNull(udpAddress, "udpAddress");
        if (config.tlsIdentity() == null) {
            throw new IllegalArgumentException("ingress.tlsIdentity is required for HTTP/3");
        }
        this.context = new ListenerContext(config, Objects.requireNonNull(handler, "handler"),
                Objects.requireNonNull(counters, "counters"), udpIdleTimeout, new InFlight(),
                Objects.requireNonNull(perIp, "perIp"));
    }

    /**
     * Binds the UDP socket and starts serving.
     *
     * @throws IOException if the address cannot be bound
     */
    public synchronized void start() throws IOException {
        if (channel != null) throw new IllegalStateException("already started");
        DatagramTransport transport = config.datagramTransport();
        group = transport.newGroup(1, "acip-h3");
        try {
            channel = transport.bootstrap(group).handler(codec(transport)).bind(udpAddress).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            group = null;
            if (e instanceof IOException io) throw io;
            throw new IOException("cannot bind the HTTP/3 listener to " + udpAddress + ": " + e.getMessage(), e);
        }
    }

    /** The bound UDP port, -1 before start. */
    public int port() {
        Channel c = channel;
        return c == null ? -1 : ((InetSocketAddress) c.localAddress()).getPort();
    }

    /** What the socket and the connections run on. */
    public DatagramTransport transport() {
        return config.datagramTransport();
    }

    /** Exchanges and UDP flows in progress. */
    int inFlight() {
        return context.inFlight().active();
    }

    /** {@link #stop(Duration)} within the configured stop timeout. */
    public void stop() throws InterruptedException {
        stop(config.stopTimeout());
    }

    /**
     * Stops: tells every agent GOAWAY (RFC 9114 §5.2), waits up to {@code timeout} for exchanges and flows in
     * progress, then closes every connection and the socket. Returns whether everything had ended by itself.
     */
    public boolean stop(java.time.Duration timeout) throws InterruptedException {
        Channel c;
        synchronized (this) {
            c = channel;
            if (c == null) return true;
            channel = null;
        }
        for (Channel quic : connections) goAway((QuicChannel) quic);
        boolean idle = context.inFlight().awaitIdle(timeout);
        for (Channel quic : connections) {
            ((QuicChannel) quic).close(true, Http3ErrorCode.H3_NO_ERROR.code(), Unpooled.EMPTY_BUFFER);
        }
        connections.close().awaitUninterruptibly(config.stopTimeout().toMillis());
        c.close().awaitUninterruptibly(config.stopTimeout().toMillis());
        group.shutdownGracefully(0, config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(config.stopTimeout().toMillis() + 1000);
        return idle;
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void goAway(QuicChannel quic) {
        quic.eventLoop().execute(() -> {
            QuicStreamChannel control = Http3.getLocalControlStream(quic);
            // No request stream is refused: in-flight ones finish, and the agent opens no new ones.
            if (control != null && control.isActive()) {
                control.writeAndFlush(new DefaultHttp3GoAwayFrame((1L << 62) - 4));
            }
        });
    }

    private ChannelHandler codec(DatagramTransport transport) {
        QuicSslContextBuilder builder = QuicSslContextBuilder
                .forServer(config.tlsIdentity().privateKey(), null, config.tlsIdentity().certificateChain())
                .applicationProtocols(Http3.supportedApplicationProtocols());
        if (!config.clientTrust().isEmpty()) {
            builder.trustManager(config.clientTrust().toArray(new java.security.cert.X509Certificate[0]))
                    .clientAuth(io.netty.handler.ssl.ClientAuth.OPTIONAL);
        }
        QuicSslContext tls = builder.build();
        QuicServerCodecBuilder codec = Http3.newQuicServerCodecBuilder();
        if (transport == DatagramTransport.EPOLL) {
            // NONE where the kernel lacks UDP_SEGMENT: then one packet per datagram, still one sendmmsg per flush.
            codec.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                    EpollQuicUtils.newSegmentedAllocator(GSO_SEGMENTS));
        }
        return codec
                .sslContext(tls)
                .maxIdleTimeout(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxRecvUdpPayloadSize(MAX_RECV_UDP_PAYLOAD)
                .maxSendUdpPayloadSize(MAX_SEND_UDP_PAYLOAD)
                .initialMaxData(config.h2SessionWindow())
                .initialMaxStreamDataBidirectionalLocal(config.h2StreamWindow())
                .initialMaxStreamDataBidirectionalRemote(config.h2StreamWindow())
                .initialMaxStreamsBidirectional(config.maxConcurrentStreams())
                .datagram(DATAGRAM_QUEUE, DATAGRAM_QUEUE)
                .activeMigration(false)
                .handler(new ConnectionInitializer(context, connections))
                .build();
    }

    /** SETTINGS this listener sends (RFC 9114 §7.2.4): extended CONNECT, HTTP Datagrams, the header limit. */
    static Http3Settings localSettings(IngressConfig config) {
        return Http3Settings.defaultSettings()
                .enableConnectProtocol(true) // RFC 9220 §3
                .enableH3Datagram(true) // RFC 9297 §2.1.1
                .maxFieldSectionSize(config.requestHeaderSize());
    }

    /** Sets up each new QUIC connection; stateless, so shared by all of them (a codec handler must be). */
    @ChannelHandler.Sharable
    private static final class ConnectionInitializer extends ChannelInitializer<QuicChannel> {
        private final ListenerContext context;
        private final ChannelGroup connections;
        private final ChannelHandler requestStreams;

        ConnectionInitializer(ListenerContext context, ChannelGroup connections) {
            this.context = context;
            this.connections = connections;
            this.requestStreams = new RequestStreamInitializer(context);
        }

        @Override
        protected void initChannel(QuicChannel quic) {
            if (!admitted(quic, context)) return;
            context.counters().increment(CounterNames.H3_CONNECTIONS_ACCEPTED);
            connections.add(quic);
            quic.attr(H3Connection.KEY).set(new H3Connection(quic, context));
            quic.pipeline().addLast(
                    new Http3ServerConnectionHandler(requestStreams, PeerSettings.INSTANCE, null,
                            new DefaultHttp3SettingsFrame(localSettings(context.config())), true),
                    ConnectionEvents.INSTANCE);
        }
    }

    /**
     * Counts the connection against its client IP address's limit, released once when it closes; one over the
     * limit is closed at once with CONNECTION_REFUSED (RFC 9000 §20.1).
     */
    private static boolean admitted(QuicChannel quic, ListenerContext context) {
        java.net.SocketAddress peer = quic.remoteSocketAddress();
        if (!(peer instanceof InetSocketAddress client)) return true; // not an IP peer: nothing to count by
        Runnable release = context.perIp().tryOpen(client.getAddress());
        if (release == null) {
            context.counters().increment(CounterNames.H3_CONNECTIONS_REFUSED_PER_IP);
            REFUSALS.warn(() -> "refused a QUIC connection from " + client.getAddress().getHostAddress()
                    + ": it holds " + context.perIp().max() + " already (http.limits.max_connections_per_ip)");
            quic.pipeline().addLast(ConnectionEvents.INSTANCE); // takes the cut handshake's failure, closing
            // After the initializer: closed inside it, the CONNECTION_CLOSE never leaves and the client waits.
            quic.eventLoop().execute(() -> quic.close(false, CONNECTION_REFUSED, Unpooled.EMPTY_BUFFER));
            return false;
        }
        quic.closeFuture().addListener(f -> release.run());
        return true;
    }

    /** Gives each request stream its own handler. */
    @ChannelHandler.Sharable
    private static final class RequestStreamInitializer extends ChannelInitializer<QuicStreamChannel> {
        private final ListenerContext context;

        RequestStreamInitializer(ListenerContext context) {
            this.context = context;
        }

        @Override
        protected void initChannel(QuicStreamChannel stream) {
            stream.pipeline().addLast(new RequestStreamHandler(context));
        }
    }
}
