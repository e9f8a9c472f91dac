package io.acip.gateway.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address range like {@code 10.0.0.0/8} or {@code fc00::/7}. */
public record Cidr(byte[] network, int prefixLength) {

    /** Parses an IP literal range; never resolves names. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String ip = slash < 0 ? text : text.substring(0, slash);
        if (!ip.matches("[0-9a-fA-F:.]+")) throw new IllegalArgumentException("'" + text + "' is not an IP range");
        byte[] addr;
        try {
            addr = InetAddress.getByName(ip).getAddress(); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP range");
        }
        int bits = addr.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
        }
        if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("'" + text + "': prefix outside 0.." + bits);
        return new Cidr(addr, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) return false;
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
        int rest = prefixLength % 8;
        if (rest == 0) return true;
        int mask = 0xff << (8 - rest) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    /** As written in configuration: {@code 10.0.0.0/8}, {@code ::1/128}. */
    public String text() {
        return ip(network) + "/" + prefixLength;
    }

    /** An address in its RFC 5952 text form (IPv6: lower case, the longest run of zero groups as "::"). */
    public static String ip(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = (address[2 * i] & 0xff) << 8 | address[2 * i + 1] & 0xff;
        int bestAt = -1;
        int bestLength = 1; // RFC 5952 §4.2.2: a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) {
                bestAt = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestAt) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
