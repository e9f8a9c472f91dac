package io.acip.gateway.egress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Which destinations that are not skills the gateway may reach directly (DESIGN §4: never an open proxy). Direct
 * egress is off unless configured; when on, addresses in loopback, link-local (cloud metadata lives there),
 * private, shared (CGNAT), multicast, unspecified and reserved ranges are refused unless an {@code allow} range
 * covers them. Checked on resolved addresses, so a name that resolves inward is refused too; an IPv6 address that
 * embeds an IPv4 address ({@link EmbeddedIpv4}: NAT64, 6to4, Teredo, ...) is refused when that IPv4 address is.
 */
public final class EgressPolicy {
    /** A range refused unless allowed, and what it is, for the refusal's message. */
    private record Refused(Cidr range, String what) {
        Refused(String range, String what) {
            this(Cidr.parse(range), what);
        }
    }

    private static final String RESERVED = "a private or reserved";
    private static final List<Refused> REFUSED = List.of(
            new Refused("0.0.0.0/8", RESERVED), new Refused("10.0.0.0/8", RESERVED),
            new Refused("100.64.0.0/10", RESERVED), new Refused("127.0.0.0/8", "the loopback"),
            new Refused("169.254.0.0/16", "the link-local (cloud metadata)"), new Refused("172.16.0.0/12", RESERVED),
            new Refused("192.0.0.0/24", RESERVED), new Refused("192.168.0.0/16", RESERVED),
            new Refused("198.18.0.0/15", RESERVED), new Refused("224.0.0.0/4", "the multicast"),
            new Refused("240.0.0.0/4", RESERVED), new Refused("::/128", "the unspecified"),
            new Refused("::1/128", "the loopback"), new Refused("fc00::/7", RESERVED),
            new Refused("fe80::/10", "the link-local"), new Refused("fec0::/10", "the site-local (deprecated)"),
            new Refused("ff00::/8", "the multicast"), new Refused("fd00:ec2::254/128", "the link-local (cloud metadata)"));

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
        if (allowed(address)) return Optional.empty();
        Optional<String> why = refusedRange(address).map(r -> Cidr.ip(address.getAddress()) + " is in " + r);
        if (why.isPresent()) return why;
        for (Inet4Address v4 : EmbeddedIpv4.in(address)) {
            if (allowed(v4)) continue;
            Optional<String> inner = refusedRange(v4);
            if (inner.isPresent()) {
                return Optional.of(Cidr.ip(address.getAddress()) + " embeds " + Cidr.ip(v4.getAddress()) + ", which is in "
                        + inner.get());
            }
        }
        return Optional.empty();
    }

    private boolean allowed(InetAddress a) {
        for (Cidr c : allow) if (c.contains(a)) return true;
        return false;
    }

    private static Optional<String> refusedRange(InetAddress a) {
        for (Refused r : REFUSED) {
            if (r.range().contains(a)) return Optional.of(r.what() + " range " + r.range().text());
        }
        return Optional.empty();
    }
}
