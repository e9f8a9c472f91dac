package io.acip.gateway.demo;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The demo's UDP agent: every datagram goes back to its sender unchanged (the Echo protocol, RFC 862). It takes the
 * Echo port 7 when it may bind it (as root) and a free port otherwise, and says which.
 */
public final class UdpEchoAgent implements AutoCloseable {
    /** RFC 862's port. */
    public static final int ECHO_PORT = 7;
    private static final Logger LOG = Logger.getLogger(UdpEchoAgent.class.getName());

    private final EventLoopGroup group;
    private final Channel channel;

    private UdpEchoAgent(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Binds {@code host}:{@code port}; with {@code fallBackToFree}, a free port when that one cannot be had. */
    public static UdpEchoAgent start(InetAddress host, int port, boolean fallBackToFree) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Bootstrap b = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(new Echo());
        try {
            Channel ch;
            try {
                ch = b.bind(host, port).sync().channel();
            } catch (Exception e) {
                if (!fallBackToFree) throw e;
                // A fresh handler: the failed bind already added the first one to a pipeline (it is not @Sharable).
                ch = b.handler(new Echo()).bind(host, 0).sync().channel();
                int got = ((InetSocketAddress) ch.localAddress()).getPort();
                LOG.info(() -> "udp echo agent: cannot bind port " + port + " (" + e.getMessage() + "), using " + got);
            }
            UdpEchoAgent agent = new UdpEchoAgent(group, ch);
            LOG.info(() -> "udp echo agent on " + agent.address());
            return agent;
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Echo extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            ctx.writeAndFlush(new DatagramPacket(p.content().retain(), p.sender()), ctx.voidPromise());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // an ICMP error about an earlier reply: the sender went away; keep serving the others
        }
    }
}
