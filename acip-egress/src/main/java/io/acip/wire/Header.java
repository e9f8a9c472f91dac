package io.acip.wire;

import io.netty.buffer.ByteBuf;

/**
 * The 8-byte fixed header, read and written in place at a packet buffer's reader index (docs/acip-v0.md §3.1):
 * version, type, flags, hop limit, then the 32-bit session label. This is all a transit node touches in a
 * packet other than SETUP: {@link #setLabel} swaps the label without copying anything.
 */
public final class Header {
    public static final int LENGTH = 8;
    public static final int VERSION = 0;

    private Header() {
    }

    public static int version(ByteBuf p) {
        return p.getUnsignedByte(p.readerIndex());
    }

    public static int typeCode(ByteBuf p) {
        return p.getUnsignedByte(p.readerIndex() + 1);
    }

    public static int flags(ByteBuf p) {
        return p.getUnsignedByte(p.readerIndex() + 2);
    }

    public static int hopLimit(ByteBuf p) {
        return p.getUnsignedByte(p.readerIndex() + 3);
    }

    public static int label(ByteBuf p) {
        return p.getInt(p.readerIndex() + 4);
    }

    public static void setLabel(ByteBuf p, int label) {
        p.setInt(p.readerIndex() + 4, label);
    }

    public static void setHopLimit(ByteBuf p, int hopLimit) {
        p.setByte(p.readerIndex() + 3, hopLimit);
    }

    /**
     * Checks what every node checks on every packet: length, version, a known type and only the flags that type
     * allows. Returns the type.
     */
    public static PacketType validate(ByteBuf p) throws MalformedPacketException {
        if (p.readableBytes() < LENGTH) {
            throw new MalformedPacketException("packet shorter than the fixed header: " + p.readableBytes());
        }
        if (version(p) != VERSION) {
            throw new MalformedPacketException("unsupported version " + version(p));
        }
        PacketType type = PacketType.of(typeCode(p));
        if (type == null) {
            throw new MalformedPacketException("unknown packet type 0x" + Integer.toHexString(typeCode(p)));
        }
        int extra = flags(p) & ~Flags.allowed(type);
        if (extra != 0) {
            throw new MalformedPacketException(type + " with flags 0x" + Integer.toHexString(extra) + " it may not carry");
        }
        return type;
    }

    public static void write(ByteBuf dst, PacketType type, int flags, int hopLimit, int label) {
        dst.writeByte(VERSION).writeByte(type.code).writeByte(flags).writeByte(hopLimit).writeInt(label);
    }
}
