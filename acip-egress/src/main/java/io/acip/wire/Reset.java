package io.acip.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * RESET (docs/acip-v0.md §5.5): aborts a session. Payload: varint code, then UTF-8 detail to the end. Sent in the
 * clear because any node on the path may originate it (an unreachable skill is found by a transit node).
 */
public record Reset(int label, ResetCode code, String detail) {

    public Reset {
        detail = truncate(detail);
    }


    public ByteBuf encode(ByteBufAllocator alloc) {
        byte[] d = detail.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = alloc.buffer(Header.LENGTH + 2 + d.length);
        Header.write(b, PacketType.RESET, 0, 0, label);
        WireVarInt.write(b, code.code);
        b.writeBytes(d);
        return b;
    }

    public static Reset decode(ByteBuf packet) throws MalformedPacketException {
        if (packet.readableBytes() < Header.LENGTH) throw new MalformedPacketException("shorter than the fixed header");
        ByteBuf p = packet.duplicate();
        int label = Header.label(p);
        p.skipBytes(Header.LENGTH);
        // RESET may carry M in the fixed flags for future use; v0 defines no RESET TLVs, so they are skipped.
        OptionalFields.readMetadata(p, Header.flags(packet));
        long code = WireVarInt.read(p, "reset code");
        if (p.readableBytes() > Limits.MAX_RESET_DETAIL) throw new MalformedPacketException("reset detail too long");
        return new Reset(label, ResetCode.of(code), OptionalFields.utf8(p, "reset detail"));
    }

    /** Cuts the detail to {@link Limits#MAX_RESET_DETAIL} bytes on a character boundary. */
    public static String truncate(String s) {
        if (s.length() * 3 <= Limits.MAX_RESET_DETAIL) return s;
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > Limits.MAX_RESET_DETAIL) break;
            out.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return out.toString();
    }
}
