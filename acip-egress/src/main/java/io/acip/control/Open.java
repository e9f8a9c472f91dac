package io.acip.control;

import io.acip.wire.Limits;
import io.acip.wire.MalformedPacketException;
import io.acip.wire.Metadata;
import io.acip.wire.OptionalFields;
import io.acip.wire.PacketType;
import io.acip.wire.Tlv;
import io.acip.wire.WireVarInt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * OPEN (docs/acip-v0.md §12.2): who the sender is, how long it waits for the channel to show life, and what it can
 * do (capability TLVs, with the must-understand parity rule of §4.2).
 *
 * @param holdTimeMs 0 for no hold timer, else at least {@link #MIN_HOLD_MS}
 */
public record Open(String nodeId, long holdTimeMs, Metadata capabilities) implements ControlMessage {
    public static final long MIN_HOLD_MS = 1000;
    /** Capability: how many prefixes the sender accepts from the receiver (informative). */
    public static final long MAX_PREFIXES = 0x02;

    public ByteBuf encode(ByteBufAllocator alloc) {
        byte[] id = nodeId.getBytes(StandardCharsets.UTF_8);
        int caps = capabilities.encodedLength();
        ByteBuf b = alloc.buffer(8 + 2 + id.length + 8 + 2 + caps);
        ControlMessage.header(b, PacketType.OPEN);
        OptionalFields.writeBytes(b, id);
        WireVarInt.write(b, holdTimeMs);
        WireVarInt.write(b, caps);
        capabilities.write(b);
        return b;
    }

    static Open decodePayload(ByteBuf p) throws MalformedPacketException {
        String nodeId = OptionalFields.readString(p, "node ID");
        if (nodeId.isEmpty()) throw new MalformedPacketException("empty node ID");
        long hold = WireVarInt.read(p, "hold time");
        long len = WireVarInt.read(p, "capabilities length");
        if (len > Limits.MAX_METADATA) throw new MalformedPacketException("capabilities longer than " + Limits.MAX_METADATA);
        Metadata caps = Metadata.read(p, (int) len);
        if (p.isReadable()) throw new MalformedPacketException("OPEN with " + p.readableBytes() + " bytes after its fields");
        return new Open(nodeId, hold, caps);
    }

    /** The MAX_PREFIXES capability, or -1 when absent. */
    public long maxPrefixes() throws MalformedPacketException {
        var t = capabilities.first(MAX_PREFIXES);
        return t.isPresent() ? t.get().varInt() : -1;
    }

    /** The first odd (must-understand) capability v0 does not define, or -1. */
    public long unknownMustUnderstand() {
        for (Tlv t : capabilities.tlvs()) if ((t.type() & 1) == 1) return t.type();
        return -1;
    }
}
