package io.acip.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The optional fields after the fixed header: varint-length-prefixed R, I and M (docs/acip-v0.md §3.3). */
public final class OptionalFields {
    private OptionalFields() {
    }

    public static void writeBytes(ByteBuf b, byte[] value) {
        WireVarInt.write(b, value.length);
        b.writeBytes(value);
    }

    static void writeMetadata(ByteBuf b, Metadata metadata, int encodedLength) {
        if (metadata.isEmpty()) return;
        WireVarInt.write(b, encodedLength);
        metadata.write(b);
    }

    public static String readString(ByteBuf p, String what) throws MalformedPacketException {
        long len = WireVarInt.read(p, what + " length");
        if (len > Limits.MAX_NAME) throw new MalformedPacketException(what + " longer than " + Limits.MAX_NAME);
        if (len > p.readableBytes()) throw new MalformedPacketException("truncated " + what);
        return utf8(p.readSlice((int) len), what);
    }

    static Metadata readMetadata(ByteBuf p, int flags) throws MalformedPacketException {
        if ((flags & Flags.M) == 0) return Metadata.EMPTY;
        long len = WireVarInt.read(p, "metadata length");
        if (len == 0) throw new MalformedPacketException("M flag with empty metadata");
        if (len > Limits.MAX_METADATA) throw new MalformedPacketException("metadata longer than " + Limits.MAX_METADATA);
        return Metadata.read(p, (int) len);
    }

    static void requireEnd(ByteBuf p, PacketType type) throws MalformedPacketException {
        if (p.isReadable()) throw new MalformedPacketException(type + " with " + p.readableBytes() + " unexpected payload bytes");
    }

    /** Strict UTF-8: a malformed sequence is the sender's error, not something to paper over with U+FFFD. */
    public static String utf8(ByteBuf bytes, String what) throws MalformedPacketException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes.nioBuffer())
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedPacketException(what + " is not valid UTF-8");
        }
    }
}
