package io.acip.ingress.h3;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicDatagramExtensionEvent;

/**
 * The QUIC connection's own events: DATAGRAM frames from the agent and the DATAGRAM extension's negotiated size.
 * Stateless (the state lives in the connection's {@link H3Connection}), so one instance serves every connection.
 */
@ChannelHandler.Sharable
final class ConnectionEvents extends ChannelInboundHandlerAdapter {
    static final ConnectionEvents INSTANCE = new ConnectionEvents();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg); // new streams travel on to the codec's stream acceptor
            return;
        }
        try {
            H3Connection connection = H3Connection.of((QuicChannel) ctx.channel());
            if (connection != null) connection.onQuicDatagram(frame);
        } finally {
            frame.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof QuicDatagramExtensionEvent d) {
            H3Connection connection = H3Connection.of((QuicChannel) ctx.channel());
            if (connection != null) connection.onDatagramExtension(d.maxLength());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
