package io.acip.wire;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The metadata field: TLVs in the order they arrived, unknown ones included so a forwarder passes them on unchanged
 * (docs/acip-v0.md §4). A type may repeat (trajectory does, once per node).
 */
public record Metadata(List<Tlv> tlvs) {
    public static final Metadata EMPTY = new Metadata(List.of());

    public Metadata {
        tlvs = List.copyOf(tlvs);
    }

    public static Metadata of(Tlv... tlvs) {
        return new Metadata(List.of(tlvs));
    }

    public Optional<Tlv> first(long type) {
        for (Tlv t : tlvs) if (t.type() == type) return Optional.of(t);
        return Optional.empty();
    }

    public Optional<String> string(long type) {
        return first(type).map(Tlv::string);
    }

    public List<Tlv> all(long type) {
        List<Tlv> out = new ArrayList<>();
        for (Tlv t : tlvs) if (t.type() == type) out.add(t);
        return out;
    }

    /** The trajectory: node IDs in the order the packet crossed them. */
    public List<String> trajectory() {
        return all(TlvType.TRAJECTORY).stream().map(Tlv::string).toList();
    }

    /** A copy with {@code tlv} appended after the existing fields. */
    public Metadata with(Tlv tlv) {
        List<Tlv> out = new ArrayList<>(tlvs.size() + 1);
        out.addAll(tlvs);
        out.add(tlv);
        return new Metadata(out);
    }

    /** The first must-understand type that v0 does not define, or -1. */
    public long unknownMustUnderstand() {
        for (Tlv t : tlvs) if (TlvType.mustUnderstand(t.type()) && !TlvType.known(t.type())) return t.type();
        return -1;
    }

    /**
     * The TLVs no forwarder may change, encoded as on the wire: every one but TRAJECTORY, in order. Both ends hash
     * them into the transcript, so a node that altered policy, tenant or payload protocol breaks the handshake.
     */
    public byte[] endToEnd() {
        Metadata kept = new Metadata(tlvs.stream().filter(t -> t.type() != TlvType.TRAJECTORY).toList());
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer(kept.encodedLength());
        kept.write(b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    public boolean isEmpty() {
        return tlvs.isEmpty();
    }

    public int encodedLength() {
        int n = 0;
        for (Tlv t : tlvs) n += t.encodedLength();
        return n;
    }

    public void write(ByteBuf dst) {
        for (Tlv t : tlvs) {
            WireVarInt.write(dst, t.type());
            WireVarInt.write(dst, t.value().length);
            dst.writeBytes(t.value());
        }
    }

    /** Reads {@code length} bytes of TLVs from {@code src}. */
    public static Metadata read(ByteBuf src, int length) throws MalformedPacketException {
        if (length > Limits.MAX_METADATA) throw new MalformedPacketException("metadata longer than " + Limits.MAX_METADATA);
        if (src.readableBytes() < length) throw new MalformedPacketException("truncated metadata");
        ByteBuf m = src.readSlice(length);
        List<Tlv> out = new ArrayList<>();
        while (m.isReadable()) {
            if (out.size() == Limits.MAX_TLVS) throw new MalformedPacketException("more than " + Limits.MAX_TLVS + " TLVs");
            long type = WireVarInt.read(m, "TLV type");
            long len = WireVarInt.read(m, "TLV length");
            if (len > m.readableBytes()) throw new MalformedPacketException("TLV 0x" + Long.toHexString(type) + " overruns metadata");
            byte[] value = new byte[(int) len];
            m.readBytes(value);
            out.add(new Tlv(type, value));
        }
        return new Metadata(out);
    }
}
