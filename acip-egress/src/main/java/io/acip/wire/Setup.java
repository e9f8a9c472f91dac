package io.acip.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * SETUP (docs/acip-v0.md §5.1): opens a session toward a skill. The only packet with the responder skill and
 * initiator identity fields; its payload is empty.
 *
 * @param initiator agent URI or skill of the initiator; empty when anonymous
 */
public record Setup(int label, int hopLimit, boolean datagramMode, SkillName responder, String initiator,
                    Metadata metadata) {


    /** What a node sends on: new label, hop limit less {@code hopsSpent}, its node ID on the trajectory. */
    public Setup forwarded(int newLabel, String nodeId, int hopsSpent) {
        return new Setup(newLabel, hopLimit - hopsSpent, datagramMode, responder, initiator,
                metadata.with(Tlv.ofString(TlvType.TRAJECTORY, nodeId)));
    }

    public ByteBuf encode(ByteBufAllocator alloc) {
        byte[] r = responder.value().getBytes(StandardCharsets.UTF_8);
        byte[] i = initiator.getBytes(StandardCharsets.UTF_8);
        int flags = Flags.R | (i.length > 0 ? Flags.I : 0) | (metadata.isEmpty() ? 0 : Flags.M)
                | (datagramMode ? Flags.DATAGRAM_MODE : 0);
        int mLen = metadata.encodedLength();
        ByteBuf b = alloc.buffer(Header.LENGTH + 2 + r.length + 2 + i.length + 4 + mLen);
        Header.write(b, PacketType.SETUP, flags, hopLimit, label);
        OptionalFields.writeBytes(b, r);
        if (i.length > 0) OptionalFields.writeBytes(b, i);
        OptionalFields.writeMetadata(b, metadata, mLen);
        return b;
    }

    /** Decodes a SETUP whose header {@link Header#validate} accepted; the buffer is not consumed. */
    public static Setup decode(ByteBuf packet) throws MalformedPacketException {
        if (packet.readableBytes() < Header.LENGTH) throw new MalformedPacketException("shorter than the fixed header");
        ByteBuf p = packet.duplicate();
        int flags = Header.flags(p);
        int hopLimit = Header.hopLimit(p);
        int label = Header.label(p);
        p.skipBytes(Header.LENGTH);
        if ((flags & Flags.R) == 0) throw new MalformedPacketException("SETUP without responder skill");
        SkillName responder = SkillName.parse(OptionalFields.readString(p, "responder skill"));
        String initiator = (flags & Flags.I) != 0 ? OptionalFields.readString(p, "initiator identity") : "";
        Metadata metadata = OptionalFields.readMetadata(p, flags);
        OptionalFields.requireEnd(p, PacketType.SETUP);
        return new Setup(label, hopLimit, (flags & Flags.DATAGRAM_MODE) != 0, responder, initiator, metadata);
    }
}
