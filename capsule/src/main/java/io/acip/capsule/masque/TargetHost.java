package io.acip.capsule.masque;

import io.acip.capsule.CodecException;
import io.acip.capsule.masque.ConnectUdpTarget.HostKind;
import java.util.Locale;

/**
 * The syntax of a decoded {@code target_host} (RFC 9298 §3, Figure 2: IPv6address / IPv4address / reg-name), checked
 * by hand so that no name is ever looked up. Names are held to DNS hostname rules (RFC 1123 §2.1: letters, digits,
 * hyphens; labels of 1-63 octets, 253 in all), stricter than reg-name, since the proxy will resolve them.
 *
 * @param canonical lowercase; IPv6 in RFC 5952 form, so equal addresses compare equal
 */
record TargetHost(String canonical, HostKind kind) {
    static final int MAX_NAME_LENGTH = 253;
    static final int MAX_LABEL_LENGTH = 63;

    static TargetHost parse(String host) throws CodecException {
        if (host.isEmpty()) throw new CodecException("target_host is empty (RFC 9298 Section 3)");
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                throw new CodecException("target_host contains whitespace");
            }
        }
        if (host.indexOf('%') >= 0) {
            throw new CodecException(host.indexOf(':') >= 0
                    ? "target_host has an IPv6 zone identifier, which RFC 9298 Section 3 does not support"
                    : "target_host contains '%' after decoding once: it was percent-encoded twice");
        }
        if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
            throw new CodecException(
                    "target_host carries an IPv6 literal without brackets (RFC 9298 Section 3, Figure 2)");
        }
        if (host.indexOf(':') >= 0) {
            byte[] a = parseIpv6(host);
            if (a == null) throw new CodecException("target_host is not a valid IPv6 address");
            return new TargetHost(formatIpv6(a), HostKind.IPV6);
        }
        if (isDigitsAndDots(host)) {
            // RFC 3986 §3.2.2 dec-octet allows no leading zeros: "010.0.0.1" would be octal to inet_aton.
            if (parseIpv4(host) == null) throw new CodecException("target_host is not a valid IPv4 address");
            return new TargetHost(host, HostKind.IPV4);
        }
        checkDnsName(host);
        return new TargetHost(host.toLowerCase(Locale.ROOT), HostKind.DNS_NAME);
    }

    private static void checkDnsName(String name) throws CodecException {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.length() > MAX_NAME_LENGTH) {
            throw new CodecException("target_host is longer than " + MAX_NAME_LENGTH + " characters");
        }
        String[] labels = n.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) throw new CodecException("target_host has an empty DNS label");
            if (label.length() > MAX_LABEL_LENGTH) {
                throw new CodecException("target_host has a DNS label longer than " + MAX_LABEL_LENGTH + " characters");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ldh = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
                if (!ldh) {
                    throw new CodecException("target_host contains " + PercentCoding.describe(c)
                            + ", which is not allowed in a host name or IP literal");
                }
            }
            if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
                throw new CodecException("target_host has a DNS label starting or ending with '-'");
            }
        }
        // A numeric (or 0x-hex) last label is how inet_aton-style resolvers spell IPv4 ("127.1", "0x7f.1",
        // "2130706433"); refusing it keeps such names from slipping past IP-literal policy. No TLD is numeric.
        String last = labels[labels.length - 1];
        if (isDigitsAndDots(last) || isHexNumber(last)) {
            throw new CodecException("target_host ends in a numeric label: not a valid IPv4 address or host name");
        }
    }

    /** RFC 3986 §3.2.2 IPv4address; null when {@code s} is not one. */
    static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) return null;
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                if (c < '0' || c > '9') return null;
                v = v * 10 + (c - '0');
            }
            if (v > 255) return null;
            out[i] = (byte) v;
        }
        return out;
    }

    /** RFC 3986 §3.2.2 IPv6address (RFC 4291 §2.2 text forms, no zone); null when {@code s} is not one. */
    static byte[] parseIpv6(String s) {
        if (s.length() > 45) return null; // longest form: 6 groups of 4, IPv4 tail of 15, separators
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) return null;
        byte[] head = new byte[16];
        byte[] tail = new byte[16];
        int headLen = gap < 0 ? groups(s, head, true) : groups(s.substring(0, gap), head, false);
        int tailLen = gap < 0 ? 0 : groups(s.substring(gap + 2), tail, true);
        if (headLen < 0 || tailLen < 0) return null;
        if (gap < 0 ? headLen != 16 : headLen + tailLen > 14) return null;
        byte[] out = new byte[16];
        System.arraycopy(head, 0, out, 0, headLen);
        System.arraycopy(tail, 0, out, 16 - tailLen, tailLen);
        return out;
    }

    // Colon-separated h16 groups, an IPv4address allowed last when ipv4Last; bytes written, or -1.
    private static int groups(String s, byte[] out, boolean ipv4Last) {
        if (s.isEmpty()) return 0;
        String[] parts = s.split(":", -1);
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (ipv4Last && i == parts.length - 1 && p.indexOf('.') >= 0) {
                byte[] v4 = parseIpv4(p);
                if (v4 == null || n + 4 > 16) return -1;
                System.arraycopy(v4, 0, out, n, 4);
                return n + 4;
            }
            if (p.isEmpty() || p.length() > 4 || n + 2 > 16) return -1;
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                if (!PercentCoding.isHexDigit(c)) return -1;
                v = v << 4 | Character.digit(c, 16);
            }
            out[n++] = (byte) (v >> 8);
            out[n++] = (byte) v;
        }
        return n;
    }

    /** RFC 5952 §4: lowercase, no leading zeros, the longest run of two or more zero groups (first if tied) as "::". */
    static String formatIpv6(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = (a[2 * i] & 0xFF) << 8 | (a[2 * i + 1] & 0xFF);
        // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad.
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xFFFF) {
            return "::ffff:" + (a[12] & 0xFF) + '.' + (a[13] & 0xFF) + '.' + (a[14] & 0xFF) + '.' + (a[15] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(g[i]));
        }
        return out.toString();
    }

    private static boolean isDigitsAndDots(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && c != '.') return false;
        }
        return true;
    }

    private static boolean isHexNumber(String label) {
        if (label.length() < 2 || label.charAt(0) != '0' || (label.charAt(1) != 'x' && label.charAt(1) != 'X')) {
            return false;
        }
        for (int i = 2; i < label.length(); i++) {
            if (!PercentCoding.isHexDigit(label.charAt(i))) return false;
        }
        return true;
    }
}
