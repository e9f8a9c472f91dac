package io.acip.control;

import io.acip.wire.Limits;
import io.acip.wire.MalformedPacketException;
import io.acip.wire.OptionalFields;
import io.acip.wire.PacketType;
import io.acip.wire.Reset;
import io.acip.wire.WireVarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** NOTIFICATION (docs/acip-v0.md §12.5): the last packet of a control channel, with the reason it ends. */
public record Notification(NotificationCode code, String detail) implements ControlMessage {
    public Notification {
        detail = Reset.truncate(detail);
    }

    public ByteBuf encode(ByteBufAllocator alloc) {
        byte[] d = detail.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = alloc.buffer(8 + 1 + d.length);
        ControlMessage.header(b, PacketType.NOTIFICATION);
        WireVarInt.write(b, code.code);
        b.writeBytes(d);
        return b;
    }

    static Notification decodePayload(ByteBuf p) throws MalformedPacketException {
        long code = WireVarInt.read(p, "notification code");
        if (p.readableBytes() > Limits.MAX_RESET_DETAIL) throw new MalformedPacketException("notification detail too long");
        return new Notification(NotificationCode.of(code), OptionalFields.utf8(p, "notification detail"));
    }
}
