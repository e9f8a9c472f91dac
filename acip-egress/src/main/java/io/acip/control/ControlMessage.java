package io.acip.control;

import io.acip.wire.Header;
import io.acip.wire.MalformedPacketException;
import io.acip.wire.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** A packet of the control channel (docs/acip-v0.md §12.1): header with label 0, then the type's payload. */
public sealed interface ControlMessage permits Open, Update, Notification {
    ByteBuf encode(ByteBufAllocator alloc);

    /**
     * Decodes an OPEN, UPDATE or NOTIFICATION; the caller keeps the buffer. Any other type or a label other than 0
     * is malformed here: the channel carries nothing else (PINGs are answered before this).
     */
    static ControlMessage decode(ByteBuf packet) throws MalformedPacketException {
        PacketType type = Header.validate(packet);
        if (Header.label(packet) != 0) throw new MalformedPacketException(type + " with label " + Header.label(packet));
        ByteBuf p = packet.duplicate().skipBytes(Header.LENGTH);
        return switch (type) {
            case OPEN -> Open.decodePayload(p);
            case UPDATE -> Update.decodePayload(p);
            case NOTIFICATION -> Notification.decodePayload(p);
            default -> throw new MalformedPacketException(type + " on the control channel");
        };
    }

    static void header(ByteBuf b, PacketType type) {
        Header.write(b, type, 0, 0, 0);
    }
}
