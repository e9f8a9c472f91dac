package io.acip.node;

import io.acip.link.PacketFrameDecoder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Sets up a link stream: framing, then the handler that feeds the node. Without a leg it serves streams the peer
 * opens (their first packet must be SETUP), and is then shared by all of them.
 */
@ChannelHandler.Sharable
final class StreamInitializer extends ChannelInitializer<QuicStreamChannel> {
    private final Node node;
    private final StreamLeg leg;

    StreamInitializer(Node node) {
        this(node, null);
    }

    StreamInitializer(Node node, StreamLeg leg) {
        this.node = node;
        this.leg = leg;
    }

    @Override
    protected void initChannel(QuicStreamChannel ch) {
        ch.config().setAllowHalfClosure(true);
        ch.pipeline().addLast(new PacketFrameDecoder(), new StreamHandler(node, leg));
    }
}
