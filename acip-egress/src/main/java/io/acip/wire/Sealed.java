package io.acip.wire;

import io.netty.buffer.ByteBuf;

/**
 * Layout of a sealed packet (DATA, DGRAM; docs/acip-v0.md §7.3): fixed header, 8-byte packet number, ciphertext,
 * 16-byte GCM tag. The associated data is the header's first three bytes (version, type, flags): the hop limit and
 * label change hop by hop, so they cannot be authenticated end to end.
 */
public final class Sealed {
    public static final int PACKET_NUMBER_LENGTH = 8;
    public static final int TAG_LENGTH = 16;
    public static final int AAD_LENGTH = 3;
    /** Bytes a sealed packet adds to its plaintext. */
    public static final int OVERHEAD = Header.LENGTH + PACKET_NUMBER_LENGTH + TAG_LENGTH;

    private Sealed() {
    }

    public static long packetNumber(ByteBuf p) {
        return p.getLong(p.readerIndex() + Header.LENGTH);
    }

    /** Offset of the ciphertext from the reader index. */
    public static int ciphertextOffset() {
        return Header.LENGTH + PACKET_NUMBER_LENGTH;
    }

    /** Checks the sealed layout's minimum length. */
    public static void validate(ByteBuf p) throws MalformedPacketException {
        if (p.readableBytes() < OVERHEAD) {
            throw new MalformedPacketException("sealed packet shorter than header, packet number and tag");
        }
        if (p.readableBytes() - OVERHEAD > Limits.MAX_DATA_PLAINTEXT) {
            throw new MalformedPacketException("sealed packet payload over " + Limits.MAX_DATA_PLAINTEXT);
        }
    }
}
