package io.acip.gateway.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The IPv4 addresses an IPv6 address stands for: a translator or relay on the way delivers traffic for these forms
 * to the IPv4 address inside, so the egress policy must judge that address too. One form per range:
 * IPv4-compatible {@code ::/96} (RFC 4291 §2.5.5.1), IPv4-mapped {@code ::ffff:0:0/96} (§2.5.5.2), SIIT
 * {@code ::ffff:0:0:0/96} (RFC 2765), NAT64 {@code 64:ff9b::/96} (RFC 6052) and the local-use {@code 64:ff9b:1::/48}
 * (RFC 8215, whose prefix length is the operator's choice, so every RFC 6052 layout it admits is read), 6to4
 * {@code 2002::/16} (RFC 3056) and Teredo {@code 2001::/32} (RFC 4380: server, and client with its bits inverted).
 */
final class EmbeddedIpv4 {
    private static final byte[] NAT64 = {0x00, 0x64, (byte) 0xff, (byte) 0x9b};

    private EmbeddedIpv4() {
    }

    static List<Inet4Address> in(InetAddress address) {
        if (!(address instanceof Inet6Address)) return List.of();
        byte[] b = address.getAddress();
        List<Inet4Address> out = new ArrayList<>(2);
        if (zero(b, 0, 10) && (b[10] & b[11] & 0xff) == 0xff || zero(b, 0, 12)) {
            out.add(v4(b, 12, false)); // mapped, compatible (:: and ::1 are judged as IPv6 first)
        } else if (zero(b, 0, 8) && (b[8] & b[9] & 0xff) == 0xff && zero(b, 10, 2)) {
            out.add(v4(b, 12, false)); // SIIT
        } else if (startsWith(b, NAT64) && zero(b, 4, 8)) {
            out.add(v4(b, 12, false)); // well-known NAT64 prefix, /96
        } else if (startsWith(b, NAT64) && b[4] == 0 && b[5] == 1) {
            for (int prefixBits : new int[] {48, 56, 64, 96}) out.add(rfc6052(b, prefixBits));
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            out.add(v4(b, 2, false)); // 6to4
        } else if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
            out.add(v4(b, 4, false)); // Teredo server
            out.add(v4(b, 12, true)); // Teredo client, obfuscated by inverting every bit
        }
        return out;
    }

    /** RFC 6052 §2.2: the 32 bits follow the prefix, skipping bits 64..71 (the "u" octet). */
    private static Inet4Address rfc6052(byte[] b, int prefixBits) {
        byte[] v4 = new byte[4];
        int at = prefixBits / 8;
        for (int i = 0; i < 4; i++, at++) {
            if (at == 8) at++;
            v4[i] = b[at];
        }
        return address(v4);
    }

    private static Inet4Address v4(byte[] b, int from, boolean inverted) {
        byte[] v4 = new byte[4];
        for (int i = 0; i < 4; i++) v4[i] = (byte) (inverted ? ~b[from + i] : b[from + i]);
        return address(v4);
    }

    private static Inet4Address address(byte[] v4) {
        try {
            return (Inet4Address) InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes: cannot happen
        }
    }

    private static boolean zero(byte[] b, int from, int count) {
        for (int i = from; i < from + count; i++) if (b[i] != 0) return false;
        return true;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) if (b[i] != prefix[i]) return false;
        return true;
    }
}
