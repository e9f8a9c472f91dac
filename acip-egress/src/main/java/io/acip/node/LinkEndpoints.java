package io.acip.node;

import io.acip.link.LinkConfig;
import io.acip.link.LinkTls;
import io.acip.link.QuicLinks;
import io.acip.tls.identity.CertificateIdentities;
import io.acip.wire.Flags;
import io.acip.wire.Header;
import io.acip.wire.Packets;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicStreamType;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The node's QUIC side: a listener for links neighbours dial, a dialer per configured neighbour (redialling with
 * capped exponential backoff and jitter), stream set-up, and link keep-alive PINGs that also measure RTT. Links are
 * spread over the node's event loops: each dial takes the next loop, and the listener has a socket on every loop.
 */
final class LinkEndpoints {
    private static final Logger LOG = Logger.getLogger(LinkEndpoints.class.getName());

    final Node node;
    private final LinkConfig config;
    private final List<Channel> channels = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The listening sockets: one per event loop where the OS lets them share the port (SO_REUSEPORT), else one. */
    private final List<Channel> servers = new ArrayList<>();
    private final StreamInitializer streamInitializer;
    private QuicSslContext clientTls;
    private volatile boolean closed;

    LinkEndpoints(Node node) {
        this.node = node;
        this.config = node.config.link();
        this.streamInitializer = new StreamInitializer(node);
    }

    void start() throws InterruptedException {
        NodeConfig c = node.config;
        if (c.listen() != null) {
            QuicSslContext tls = LinkTls.server(c.identity(), c.fabricCa());
            int loops = node.eventLoops();
            if (loops > 1 && c.listen().getPort() != 0) requireFree(c.listen());
            Channel first = listen(tls, node.loop(), c.listen(), loops > 1);
            servers.add(first);
            // The kernel spreads neighbours over the sockets by address and port, so links land on every loop; a
            // connection's packets always reach the socket, and the loop, that accepted it.
            if (first.config().getOption(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT)) == Boolean.TRUE) {
                for (int i = 1; i < loops; i++) {
                    servers.add(listen(tls, node.loopAt(i), (InetSocketAddress) first.localAddress(), true));
                }
            }
        }
        if (!c.neighbours().isEmpty()) clientTls = LinkTls.client(c.identity(), c.fabricCa());
        for (NodeConfig.Neighbour n : c.neighbours()) dial(n, 0);
    }

    /**
     * Fails when something holds {@code address} already: sockets that share a port would otherwise join a second
     * node started on it by mistake (of the same user), and split the links between the two without a word.
     */
    private static void requireFree(InetSocketAddress address) {
        try (java.nio.channels.DatagramChannel probe = java.nio.channels.DatagramChannel.open()) {
            probe.bind(address);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("link address " + address + " is in use: " + e.getMessage(), e);
        }
    }

    private Channel listen(QuicSslContext tls, EventLoop on, InetSocketAddress address, boolean share)
            throws InterruptedException {
        ChannelHandler codec = QuicLinks.configure(new QuicServerCodecBuilder(), config)
                .sslContext(tls)
                .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
                .handler(new LinkHandler(this, null))
                .streamHandler(streamInitializer)
                .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .build();
        Bootstrap b = udp(on).handler(codec);
        if (share) b.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
        return b.bind(address).sync().channel();
    }

    private Bootstrap udp(EventLoop on) {
        return new Bootstrap().group(on).channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, config.socketBuffer())
                .option(ChannelOption.SO_SNDBUF, config.socketBuffer());
    }

    /** Sockets listening for links: one per event loop where the port can be shared. */
    int listeners() {
        return servers.size();
    }

    InetSocketAddress boundAddress() {
        return servers.isEmpty() ? null : (InetSocketAddress) servers.get(0).localAddress();
    }

    /** Dials {@code n} after {@code delayMs}; on failure, again with twice the delay (capped). */
    void dial(NodeConfig.Neighbour n, long delayMs) {
        if (closed) return;
        if (delayMs > 0) {
            node.loop().schedule(() -> dial(n, -delayMs), delayMs, TimeUnit.MILLISECONDS);
            return;
        }
        long previous = -delayMs;
        InetSocketAddress addr = n.address();
        ChannelHandler codec = QuicLinks.configure(new QuicClientCodecBuilder(), config)
                .sslEngineProvider(q -> clientTls.newEngine(q.alloc(), addr.getHostString(), addr.getPort()))
                .build();
        udp(node.nextLoop()).handler(codec).bind(0) // links spread over the loops
                .addListener(bound -> {
                    if (!bound.isSuccess()) {
                        redial(n, previous);
                        return;
                    }
                    Channel udp = ((io.netty.channel.ChannelFuture) bound).channel();
                    channels.add(udp);
                    QuicChannel.newBootstrap(udp)
                            .handler(new LinkHandler(this, n))
                            .streamHandler(streamInitializer)
                            .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                            .remoteAddress(addr)
                            .connect()
                            .addListener(connected -> {
                                if (!connected.isSuccess()) {
                                    LOG.warning(() -> "node " + node.nodeId() + ": dialling " + n.nodeId() + " failed: "
                                            + connected.cause());
                                    closeUdp(udp);
                                    redial(n, previous);
                                }
                            });
                });
    }

    private void redial(NodeConfig.Neighbour n, long previousMs) {
        long base = previousMs == 0 ? config.reconnectMin().toMillis() : Math.min(previousMs * 2,
                config.reconnectMax().toMillis());
        long jitter = ThreadLocalRandom.current().nextLong(base / 4 + 1);
        node.stats.inc("acip.link.redial");
        dial(n, base + jitter);
    }

    void closeUdp(Channel udp) {
        channels.remove(udp);
        udp.close();
    }

    /** The handshake on {@code quic} completed: check who the peer is and bring the link up. */
    void handshakeDone(QuicChannel quic, NodeConfig.Neighbour expected) {
        Optional<String> peer = peerNodeId(quic);
        boolean unwanted = expected == null && peer.isPresent() && !node.config.acceptFrom().isEmpty()
                && !node.config.acceptFrom().contains(peer.get());
        if (peer.isEmpty() || unwanted || expected != null && !expected.nodeId().equals(peer.get())) {
            LOG.warning("node " + node.nodeId() + ": refusing link from " + quic.remoteSocketAddress() + ": certificate names "
                    + peer.orElse("no node") + (expected != null ? ", expected " + expected.nodeId() : ""));
            node.stats.inc("acip.link.refused");
            quic.close(true, 0x0100, io.netty.buffer.Unpooled.EMPTY_BUFFER);
            return;
        }
        Link link = new Link(quic, peer.get(), expected != null);
        Integer max = quic.attr(LinkHandler.DATAGRAM_MAX).get();
        link.maxDatagram = max == null ? 0 : max;
        quic.attr(Link.KEY).set(link);
        node.linkUp(link);
        quic.eventLoop().scheduleAtFixedRate(() -> {
            if (quic.isActive()) sendLinkPing(link, false, System.nanoTime());
        }, 0, config.keepAlive().toMillis(), TimeUnit.MILLISECONDS);
    }

    void handshakeFailed(QuicChannel quic, NodeConfig.Neighbour expected, Throwable cause) {
        node.stats.inc("acip.link.handshake_failed");
        LOG.warning("node " + node.nodeId() + ": TLS handshake with " + (expected != null ? expected.nodeId() + " at " : "")
                + quic.remoteSocketAddress() + " failed: " + cause);
    }

    private Optional<String> peerNodeId(QuicChannel quic) {
        try {
            var certs = quic.sslEngine().getSession().getPeerCertificates();
            return certs.length == 0 ? Optional.empty() : CertificateIdentities.nodeId((X509Certificate) certs[0]);
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    void linkClosed(QuicChannel quic, NodeConfig.Neighbour expected) {
        Link link = quic.attr(Link.KEY).get();
        if (link != null) node.linkDown(link);
        if (expected != null) {
            Channel udp = quic.parent();
            if (udp != null) closeUdp(udp);
            if (!closed) redial(expected, 0);
        }
    }

    void onLinkPing(Link link, ByteBuf packet) {
        try {
            long opaque = Packets.pingOpaque(packet);
            if ((Header.flags(packet) & Flags.PONG) == 0) {
                sendLinkPing(link, true, opaque);
            } else {
                long rtt = Math.max(0, System.nanoTime() - opaque);
                link.rttMs = rtt / 1_000_000;
                node.timings.linkRtt(link.peerNodeId, rtt);
            }
        } catch (io.acip.wire.MalformedPacketException e) {
            node.stats.inc("acip.dgram.dropped.malformed");
        } finally {
            packet.release();
        }
    }

    private void sendLinkPing(Link link, boolean pong, long opaque) {
        link.quic.writeAndFlush(Packets.ping(link.quic.alloc(), 0, pong, opaque), link.quic.voidPromise());
    }

    /** Opens the QUIC stream for an outgoing leg; its packets wait in the leg until then. */
    void openStream(StreamLeg leg) {
        leg.link.quic.createStream(QuicStreamType.BIDIRECTIONAL, new StreamInitializer(node, leg))
                .addListener(f -> {
                    if (f.isSuccess()) {
                        leg.attach((io.netty.handler.codec.quic.QuicStreamChannel) f.getNow());
                    } else {
                        node.legFailed(leg, "stream refused: " + f.cause());
                    }
                });
    }

    void close() {
        closed = true;
        for (Channel server : servers) server.close().syncUninterruptibly();
        for (Channel c : new ArrayList<>(channels)) c.close().syncUninterruptibly();
    }
}
