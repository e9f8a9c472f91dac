package io.acip.capsule.bhttp;

import io.acip.capsule.VarInt;

import java.nio.ByteBuffer;

/** Reads one QUIC varint that may arrive split across buffers, keeping the few bytes seen so far. */
final class VarIntReader {
    private final byte[] pending = new byte[8];
    private int have;
    private int need;

    /** The value, or {@link VarInt#INCOMPLETE} having taken every byte {@code in} had towards it. */
    long read(ByteBuffer in) {
        if (have == 0) {
            long v = VarInt.tryRead(in);
            if (v != VarInt.INCOMPLETE || !in.hasRemaining()) return v;
            need = VarInt.encodedLength(in.get(in.position()));
        }
        int n = Math.min(need - have, in.remaining());
        in.get(pending, have, n);
        have += n;
        if (have < need) return VarInt.INCOMPLETE;
        long v = pending[0] & 0x3f;
        for (int i = 1; i < need; i++) {
            v = v << 8 | (pending[i] & 0xff);
        }
        have = 0;
        return v;
    }

    /** Whether part of an integer has been taken: the input cannot end cleanly here. */
    boolean isPartial() {
        return have > 0;
    }
}
