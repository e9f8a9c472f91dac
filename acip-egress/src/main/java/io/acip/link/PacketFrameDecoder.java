package io.acip.link;

import io.acip.capsule.VarInt;
import io.acip.wire.Limits;
import io.acip.wire.WireVarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits a link stream into packets: each is preceded by its length as a varint (docs/acip-v0.md §2.2). A length
 * over {@link Limits#MAX_PACKET} is refused before anything is buffered for it.
 */
public final class PacketFrameDecoder extends ByteToMessageDecoder {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws TooLongFrameException {
        while (in.isReadable()) {
            int lenBytes = VarInt.encodedLength(in.getByte(in.readerIndex()));
            if (in.readableBytes() < lenBytes) return;
            long len = VarInt.tryRead(in.nioBuffer(in.readerIndex(), lenBytes));
            if (len > Limits.MAX_PACKET) throw new TooLongFrameException("packet of " + len + " bytes over " + Limits.MAX_PACKET);
            if (in.readableBytes() < lenBytes + len) return;
            in.skipBytes(lenBytes);
            out.add(in.readRetainedSlice((int) len));
        }
    }

    /** The length prefix for a packet of {@code length} bytes. */
    public static ByteBuf prefix(ByteBufAllocator alloc, int length) {
        ByteBuf b = alloc.buffer(VarInt.length(length));
        WireVarInt.write(b, length);
        return b;
    }
}
