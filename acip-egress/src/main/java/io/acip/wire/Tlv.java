package io.acip.wire;

import io.acip.capsule.VarInt;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** One metadata field: varint type, varint length, value (docs/acip-v0.md §4). */
public record Tlv(long type, byte[] value) {

    public static Tlv ofString(long type, String value) {
        return new Tlv(type, value.getBytes(StandardCharsets.UTF_8));
    }

    public static Tlv ofVarInt(long type, long value) {
        byte[] b = new byte[VarInt.length(value)];
        VarInt.write(b, 0, value);
        return new Tlv(type, b);
    }

    public String string() {
        return new String(value, StandardCharsets.UTF_8);
    }

    public long varInt() throws MalformedPacketException {
        var buf = ByteBuffer.wrap(value);
        long v = VarInt.tryRead(buf);
        if (v == VarInt.INCOMPLETE || buf.hasRemaining()) {
            throw new MalformedPacketException("TLV 0x" + Long.toHexString(type) + " is not one varint");
        }
        return v;
    }

    int encodedLength() {
        return VarInt.length(type) + VarInt.length(value.length) + value.length;
    }
}
