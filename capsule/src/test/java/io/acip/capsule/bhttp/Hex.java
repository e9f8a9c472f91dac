package io.acip.capsule.bhttp;

import java.util.HexFormat;

/** Hex dumps as the RFC prints them: groups of digits, whitespace ignored. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String dump) {
        return HexFormat.of().parseHex(dump.replaceAll("\\s+", ""));
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
