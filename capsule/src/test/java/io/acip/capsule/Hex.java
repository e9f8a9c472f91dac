package io.acip.capsule;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Test vectors are written as hex; spaces are for the reader. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static ByteBuffer buf(String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    static String of(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] a = new byte[d.remaining()];
        d.get(a);
        return HexFormat.of().formatHex(a);
    }
}
