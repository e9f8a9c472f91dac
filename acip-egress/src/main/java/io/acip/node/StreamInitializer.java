package io.acip.node;

import io.acip.link.PacketFrameDecoder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * Sets up a link stream: framing, then the handler that feeds the node. Without a leg it serves streams the peer
 * opens (their first packet must be SETUP), and is then shared by all of them.
 */
@ChannelHandler.Sharable
final class StreamInitializer extends ChannelInitializer<QuicStreamChannel> {
    /** Bytes queued on a stream before it reports unwritable and the feeding leg pauses. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

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
        ch.config().setWriteBufferWaterMark(WATER_MARK);
        ch.pipeline().addLast(new PacketFrameDecoder(), new StreamHandler(node, leg));
    }
}
