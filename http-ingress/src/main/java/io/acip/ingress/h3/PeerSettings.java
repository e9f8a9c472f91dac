package io.acip.ingress.h3;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http3.Http3SettingsFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads the agent's SETTINGS from its control stream (Netty validates them and hands them on): whether it accepts
 * HTTP/3 Datagrams (SETTINGS_H3_DATAGRAM, RFC 9297 §2.1.1). Stateless and shared by every connection.
 */
@ChannelHandler.Sharable
final class PeerSettings extends ChannelInboundHandlerAdapter {
    static final PeerSettings INSTANCE = new PeerSettings();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof Http3SettingsFrame settings) {
                H3Connection connection = H3Connection.of((QuicChannel) ctx.channel().parent());
                if (connection != null) connection.onPeerSettings(settings);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }
}
