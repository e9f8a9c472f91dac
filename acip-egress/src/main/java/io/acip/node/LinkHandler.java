package io.acip.node;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicDatagramExtensionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;

/**
 * Handles a link's QUIC connection: the handshake outcome, QUIC DATAGRAM frames in, and the end of the link.
 * Shared by every connection of the listener, so it keeps no state of its own.
 */
@ChannelHandler.Sharable
final class LinkHandler extends ChannelInboundHandlerAdapter {
    static final AttributeKey<Integer> DATAGRAM_MAX = AttributeKey.valueOf("acip.datagram.max");

    private final LinkEndpoints endpoints;
    private final NodeConfig.Neighbour expected;

    /** @param expected the neighbour dialled, or null on the listening side */
    LinkHandler(LinkEndpoints endpoints, NodeConfig.Neighbour expected) {
        this.endpoints = endpoints;
        this.expected = expected;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        QuicChannel quic = (QuicChannel) ctx.channel();
        if (evt instanceof SslHandshakeCompletionEvent hs) {
            if (hs.isSuccess()) {
                endpoints.handshakeDone(quic, expected);
            } else {
                endpoints.handshakeFailed(quic, expected, hs.cause());
            }
        } else if (evt instanceof QuicDatagramExtensionEvent d) {
            quic.attr(DATAGRAM_MAX).set(d.maxLength());
            Link link = quic.attr(Link.KEY).get();
            if (link != null) link.maxDatagram = d.maxLength();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf b)) {
            ctx.fireChannelRead(msg); // new streams the peer opened travel this pipeline to their initializer
            return;
        }
        Link link = ctx.channel().attr(Link.KEY).get();
        if (link == null) {
            b.release();
            return;
        }
        endpoints.node.onLinkDatagram(link, b);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        endpoints.linkClosed((QuicChannel) ctx.channel(), expected);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
