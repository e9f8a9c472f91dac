package io.acip.gateway.bridge;

import io.acip.node.Session;
import io.acip.node.SessionHandler;
import io.acip.wire.ResetCode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;

/**
 * The far side of a byte-stream session: a TCP connection to the agent's endpoint, spliced to the session on the
 * node's event loop with backpressure both ways (TCP reads pause while the session cannot take more; session reads
 * pause while the socket's buffer is full). Half-closes map onto FIN and TCP shutdown.
 */
public final class FarTunnel implements SessionHandler {
    private final InetSocketAddress endpoint;
    private final int connectTimeoutMs;
    private Session session;
    private Channel tcp;
    private boolean endpointFinished;

    public FarTunnel(InetSocketAddress endpoint, int connectTimeoutMs) {
        this.endpoint = endpoint;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    @Override
    public void onOpen(Session s) {
        session = s;
        s.setReadable(false); // until the socket is connected
        new Bootstrap().group(s.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.AUTO_READ, true)
                .handler(new Splice())
                .connect(endpoint)
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        s.reset(ResetCode.DESTINATION_UNAVAILABLE, "cannot connect to " + endpoint + ": "
                                + f.cause().getMessage());
                        return;
                    }
                    tcp = f.channel();
                    s.setReadable(true);
                });
    }

    @Override
    public void onData(Session s, ByteBuf data, boolean fin) {
        if (tcp == null || !tcp.isActive()) return;
        if (data.isReadable()) tcp.write(data.retain());
        tcp.flush();
        if (fin) ((DuplexChannel) tcp).shutdownOutput();
        if (!tcp.isWritable()) s.setReadable(false);
    }

    @Override
    public void onWritabilityChanged(Session s, boolean writable) {
        if (tcp != null) tcp.config().setAutoRead(writable);
    }

    @Override
    public void onReset(Session s, ResetCode code, String detail) {
        if (tcp != null) tcp.close();
    }

    @Override
    public void onClose(Session s) {
        if (tcp != null) tcp.close();
    }

    /** Socket to session. */
    private final class Splice extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            session.write((ByteBuf) msg, false);
            if (!session.isWritableByApplication()) ctx.channel().config().setAutoRead(false);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                endpointFinished = true;
                session.write(ctx.alloc().buffer(0), true);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            session.setReadable(ctx.channel().isWritable());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // After the endpoint's FIN went out, a full close is the normal end of its side, not a failure.
            if (!endpointFinished) session.reset(ResetCode.DESTINATION_UNAVAILABLE, "connection to " + endpoint + " closed");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            session.reset(ResetCode.DESTINATION_UNAVAILABLE, endpoint + ": " + cause.getMessage());
            ctx.close();
        }
    }
}
