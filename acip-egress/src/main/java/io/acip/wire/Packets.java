package io.acip.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Encoders of the packets with no optional fields: CLOSE and PING (docs/acip-v0.md §5.4, §5.6). */
public final class Packets {
    public static final int PING_PAYLOAD = 8;

    private Packets() {
    }

    public static ByteBuf close(ByteBufAllocator alloc, int label) {
        ByteBuf b = alloc.buffer(Header.LENGTH);
        Header.write(b, PacketType.CLOSE, 0, 0, label);
        return b;
    }

    /** A PING carrying an opaque value the answer echoes, or the answer itself when {@code pong}. */
    public static ByteBuf ping(ByteBufAllocator alloc, int label, boolean pong, long opaque) {
        ByteBuf b = alloc.buffer(Header.LENGTH + PING_PAYLOAD);
        Header.write(b, PacketType.PING, pong ? Flags.PONG : 0, 0, label);
        b.writeLong(opaque);
        return b;
    }

    public static long pingOpaque(ByteBuf p) throws MalformedPacketException {
        if (p.readableBytes() != Header.LENGTH + PING_PAYLOAD) throw new MalformedPacketException("PING payload is not 8 bytes");
        return p.getLong(p.readerIndex() + Header.LENGTH);
    }

    public static void requireEmpty(ByteBuf p, PacketType type) throws MalformedPacketException {
        if (p.readableBytes() != Header.LENGTH) throw new MalformedPacketException(type + " with a payload");
    }
}
