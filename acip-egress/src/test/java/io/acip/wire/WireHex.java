package io.acip.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;

/** Test packets are written as hex; spaces are for the reader. */
final class WireHex {
    private WireHex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** An unpooled buffer over the bytes; decoders never retain it, but callers still release it. */
    static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(bytes(hex));
    }

    static ByteBuf buf(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** The readable bytes of an encoder's output; releases it. */
    static byte[] drain(ByteBuf b) {
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** RFC 9000 §16 shortest encoding, written here independently of the codec under test. */
    static byte[] varint(long v) {
        if (v < 0x40) return new byte[] {(byte) v};
        if (v < 0x4000) return new byte[] {(byte) (0x40 | v >>> 8), (byte) v};
        if (v < 0x4000_0000L) return new byte[] {(byte) (0x80 | v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        b[0] |= (byte) 0xc0;
        return b;
    }

    /** Fixed header bytes, written independently of {@link Header#write}. */
    static byte[] header(int type, int flags, int hopLimit, int label) {
        return new byte[] {0, (byte) type, (byte) flags, (byte) hopLimit,
                (byte) (label >>> 24), (byte) (label >>> 16), (byte) (label >>> 8), (byte) label};
    }

    /** One TLV: varint type, varint length, value. */
    static byte[] tlv(long type, byte[] value) {
        return concat(varint(type), varint(value.length), value);
    }
}
