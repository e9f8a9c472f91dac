package io.acip.node;

import io.acip.wire.Header;
import io.acip.wire.PacketType;
import io.acip.wire.Reset;
import io.acip.wire.ResetCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;

/** Feeds one link stream's packets to the node and reports the stream's end. */
final class StreamHandler extends ChannelInboundHandlerAdapter {
    private final Node node;
    private StreamLeg leg;

    StreamHandler(Node node, StreamLeg leg) {
        this.node = node;
        this.leg = leg;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (leg == null) {
            firstPacket((QuicStreamChannel) ctx.channel(), packet);
        } else {
            node.onStreamPacket(leg, packet);
        }
    }

    /** A stream the peer opened: its first packet names the label the peer allocated for the session. */
    private void firstPacket(QuicStreamChannel stream, ByteBuf packet) {
        Link link = stream.parent().attr(Link.KEY).get();
        if (link == null || packet.readableBytes() < Header.LENGTH) {
            packet.release();
            stream.close();
            return;
        }
        int label = Header.label(packet);
        String refusal = null;
        if (label == 0 && Header.typeCode(packet) == PacketType.OPEN.code) {
            refusal = ControlStream.refusal(link);
            if (refusal == null) {
                ControlStream.accept(node, link, stream, stream.pipeline().context(this), packet);
                return;
            }
            node.stats.inc("acip.control.stream.refused");
        }
        leg = new StreamLeg(link, label, node.stats);
        leg.attach(stream);
        if (label == 0 || link.allocatedHere(label) || link.inUse(label)) {
            packet.release();
            if (refusal == null) node.stats.inc("acip.packet.malformed");
            // Not bound: the label belongs to someone else. Answer on this stream only.
            leg.transmit(new Reset(label, ResetCode.PROTOCOL_VIOLATION, refusal != null ? refusal : "label 0x"
                    + Integer.toHexString(label) + (label == 0 ? " is the link's own" : link.inUse(label)
                    ? " already in use" : " is not the sender's to allocate")).encode(stream.alloc()));
            leg.finished = true;
            leg.release();
            return;
        }
        link.bind(leg);
        node.onIncomingSetup(link, leg, packet);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            QuicStreamChannel stream = (QuicStreamChannel) ctx.channel();
            if (leg == null || leg.finished) {
                if (stream.isOutputShutdown() || leg == null) stream.close();
            } else {
                node.protocolViolation(leg, "stream ended without CLOSE or RESET");
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (leg != null) node.legFailed(leg, "stream closed under the session");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (leg != null && !leg.finished) {
            node.protocolViolation(leg, String.valueOf(cause.getMessage()));
        } else {
            ctx.close();
        }
    }
}
