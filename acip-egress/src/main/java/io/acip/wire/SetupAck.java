package io.acip.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * SETUP_ACK (docs/acip-v0.md §5.2): the responder accepts; metadata carries its key share, skill certificate and
 * proof, the selected instance, and the trajectory the SETUP collected, extended on the way back.
 */
public record SetupAck(int label, Metadata metadata) {

    /** What a forwarder sends on toward the initiator: new label, its node ID appended to the trajectory. */
    public SetupAck forwarded(int newLabel, String nodeId) {
        return new SetupAck(newLabel, metadata.with(Tlv.ofString(TlvType.TRAJECTORY, nodeId)));
    }

    public ByteBuf encode(ByteBufAllocator alloc) {
        int mLen = metadata.encodedLength();
        ByteBuf b = alloc.buffer(Header.LENGTH + 4 + mLen);
        Header.write(b, PacketType.SETUP_ACK, metadata.isEmpty() ? 0 : Flags.M, 0, label);
        OptionalFields.writeMetadata(b, metadata, mLen);
        return b;
    }

    public static SetupAck decode(ByteBuf packet) throws MalformedPacketException {
        if (packet.readableBytes() < Header.LENGTH) throw new MalformedPacketException("shorter than the fixed header");
        ByteBuf p = packet.duplicate();
        int flags = Header.flags(p);
        int label = Header.label(p);
        p.skipBytes(Header.LENGTH);
        Metadata metadata = OptionalFields.readMetadata(p, flags);
        OptionalFields.requireEnd(p, PacketType.SETUP_ACK);
        return new SetupAck(label, metadata);
    }
}
