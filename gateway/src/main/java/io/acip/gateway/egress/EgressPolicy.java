package io.acip.gateway.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Which destinations that are not skills the gateway may reach directly (DESIGN §4: never an open proxy). Direct
 * egress is off unless configured; when on, addresses in loopback, link-local (cloud metadata lives there),
 * private, shared (CGNAT), multicast, unspecified and reserved ranges are refused unless an {@code allow} range
 * covers them. Checked on resolved addresses, so a name that resolves inward is refused too.
 */
public final class EgressPolicy {
    private static final List<Cidr> REFUSED = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "fd00:ec2::254/128")
            .stream().map(Cidr::parse).toList();

    private final boolean direct;
    private final List<Cidr> allow;

    public EgressPolicy(boolean direct, List<Cidr> allow) {
        this.direct = direct;
        this.allow = List.copyOf(allow);
    }

    public static EgressPolicy none() {
        return new EgressPolicy(false, List.of());
    }

    public boolean directAllowed() {
        return direct;
    }

    /** Why {@code address} may not be reached, or empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        if (!direct) return Optional.of("direct egress is disabled on this gateway");
        InetAddress a = unmapped(address);
        for (Cidr c : allow) if (c.contains(a)) return Optional.empty();
        for (Cidr c : REFUSED) {
            if (c.contains(a)) {
                return Optional.of(a.getHostAddress() + " is in " + describe(c) + " range " + text(c));
            }
        }
        return Optional.empty();
    }

    /** ::ffff:a.b.c.d is IPv4 a.b.c.d: check it as such, or it would slip past the IPv4 ranges. */
    private static InetAddress unmapped(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
            if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                try {
                    return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (java.net.UnknownHostException e) {
                    return a;
                }
            }
        }
        return a;
    }

    private static String describe(Cidr c) {
        String t = text(c);
        if (t.startsWith("127.") || t.equals("::1/128")) return "the loopback";
        if (t.startsWith("169.254.") || t.startsWith("fe80") || t.startsWith("fd00:ec2")) return "the link-local (cloud metadata)";
        if (t.startsWith("224.") || t.startsWith("ff00")) return "the multicast";
        return "a private or reserved";
    }

    private static String text(Cidr c) {
        try {
            return InetAddress.getByAddress(c.network()).getHostAddress() + "/" + c.prefixLength();
        } catch (java.net.UnknownHostException e) {
            return "?";
        }
    }
}
