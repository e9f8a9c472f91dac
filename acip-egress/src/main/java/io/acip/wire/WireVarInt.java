package io.acip.wire;

import io.acip.capsule.VarInt;
import io.netty.buffer.ByteBuf;

/** {@link VarInt} over Netty buffers: the length rules stay in {@code VarInt}; only the buffer access is here. */
public final class WireVarInt {
    private WireVarInt() {
    }

    public static long read(ByteBuf b, String what) throws MalformedPacketException {
        if (!b.isReadable()) throw new MalformedPacketException("truncated " + what);
        int len = VarInt.encodedLength(b.getByte(b.readerIndex()));
        if (b.readableBytes() < len) throw new MalformedPacketException("truncated " + what);
        long v = VarInt.tryRead(b.nioBuffer(b.readerIndex(), len));
        b.skipBytes(len);
        return v;
    }

    public static void write(ByteBuf b, long value) {
        switch (VarInt.length(value)) {
            case 1 -> b.writeByte((int) value);
            case 2 -> b.writeShort((int) value | 0x4000);
            case 4 -> b.writeInt((int) value | 0x8000_0000);
            default -> b.writeLong(value | 0xC000_0000_0000_0000L);
        }
    }
}
