package io.acip.gateway.egress;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.HttpFailure;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
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
    private record RefusedRange(Cidr range, String what) {
        RefusedRange(String range, String what) {
            this(Cidr.parse(range), what);
        }
    }

    private static final String RESERVED = "a private or reserved";
    private static final List<RefusedRange> REFUSED = List.of(
            new RefusedRange("0.0.0.0/8", RESERVED), new RefusedRange("10.0.0.0/8", RESERVED),
            new RefusedRange("100.64.0.0/10", RESERVED), new RefusedRange("127.0.0.0/8", "the loopback"),
            new RefusedRange("169.254.0.0/16", "the link-local (cloud metadata)"), new RefusedRange("172.16.0.0/12", RESERVED),
            new RefusedRange("192.0.0.0/24", RESERVED), new RefusedRange("192.168.0.0/16", RESERVED),
            new RefusedRange("198.18.0.0/15", RESERVED), new RefusedRange("224.0.0.0/4", "the multicast"),
            new RefusedRange("240.0.0.0/4", RESERVED), new RefusedRange("::/128", "the unspecified"),
            new RefusedRange("::1/128", "the loopback"), new RefusedRange("fc00::/7", RESERVED),
            new RefusedRange("fe80::/10", "the link-local"), new RefusedRange("fec0::/10", "the site-local (deprecated)"),
            new RefusedRange("ff00::/8", "the multicast"), new RefusedRange("fd00:ec2::254/128", "the link-local (cloud metadata)"));

    /** Where a direct request may go: every address of its host, each checked, or why not. */
    public sealed interface Destination permits Allowed, Refused {
    }

    /** @param addresses the host's addresses with the port, all allowed, in the resolver's order */
    public record Allowed(List<InetSocketAddress> addresses) implements Destination {
    }

    public record Refused(HttpFailure failure) implements Destination {
    }

    private final boolean direct;
    private final List<Cidr> allow;
    private final NameLookup names;

    public EgressPolicy(boolean direct, List<Cidr> allow) {
        this(direct, allow, NameLookup.SYSTEM);
    }

    public EgressPolicy(boolean direct, List<Cidr> allow, NameLookup names) {
        this.direct = direct;
        this.allow = List.copyOf(allow);
        this.names = names;
    }

    public static EgressPolicy none() {
        return new EgressPolicy(false, List.of());
    }

    public boolean directAllowed() {
        return direct;
    }

    /**
     * Resolves {@code host} once and checks every address: a name with one inward address is refused whole. Connect
     * only to the addresses this returns, never to a second lookup's (which may answer differently: DNS rebinding).
     */
    public Destination resolve(String host, int port) {
        if (!direct) {
            return new Refused(new HttpFailure(403, ProxyErrorType.DESTINATION_IP_PROHIBITED, host
                    + " is not a skill and direct egress is disabled on this gateway"));
        }
        if (port < 1 || port > 65535) {
            return new Refused(new HttpFailure(400, ProxyErrorType.HTTP_REQUEST_ERROR, "invalid port " + port));
        }
        InetAddress[] addresses;
        try {
            addresses = names.lookup(host);
        } catch (UnknownHostException e) {
            return new Refused(new HttpFailure(502, ProxyErrorType.DNS_ERROR, host + " does not resolve"));
        }
        if (addresses.length == 0) {
            return new Refused(new HttpFailure(502, ProxyErrorType.DNS_ERROR, host + " has no address"));
        }
        List<InetSocketAddress> checked = new ArrayList<>(addresses.length);
        for (InetAddress a : addresses) {
            Optional<String> why = refusal(a);
            if (why.isPresent()) {
                return new Refused(new HttpFailure(403, ProxyErrorType.DESTINATION_IP_PROHIBITED, host + ": "
                        + why.get()));
            }
            checked.add(new InetSocketAddress(a, port));
        }
        return new Allowed(List.copyOf(checked));
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
        for (RefusedRange r : REFUSED) {
            if (r.range().contains(a)) return Optional.of(r.what() + " range " + r.range().text());
        }
        return Optional.empty();
    }
}
