package io.acip.gateway.admin;

import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.AgentSkill;
import io.acip.gateway.attach.AttachRefusedException;
import io.acip.gateway.attach.UdpEndpoint;
import io.acip.gateway.egress.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/**
 * Where agents registered at run time may point the gateway ({@code admin.attach_allowed}, default loopback only):
 * every address their origin and UDP endpoints resolve to must fall inside one of the ranges, or a registration
 * could aim the gateway at the inside (cloud metadata at 169.254.169.254, private services). Agents from the
 * configuration file are not checked: the operator wrote them.
 */
final class AttachScope {
    private final List<Cidr> allowed;
    private final List<String> text;

    AttachScope(List<String> ranges) {
        this.allowed = ranges.stream().map(Cidr::parse).toList();
        this.text = List.copyOf(ranges);
    }

    /** Refuses (403, naming the address) a registration that reaches outside the allowed ranges. */
    void check(AgentRegistration r) throws AttachRefusedException {
        check("origin", r.origin().getHost());
        if (r.udp().isPresent()) check("udp", r.udp().get());
        for (int i = 0; i < r.skills().size(); i++) {
            AgentSkill s = r.skills().get(i);
            if (s.udp().isPresent()) check("skills[" + i + "].udp", s.udp().get());
        }
    }

    private void check(String field, UdpEndpoint endpoint) throws AttachRefusedException {
        check(field, endpoint.host());
    }

    private void check(String field, String host) throws AttachRefusedException {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            throw new AttachRefusedException(403, "address-not-allowed", field + " host " + name
                    + " does not resolve, so its addresses cannot be checked against admin.attach_allowed",
                    Map.of("field", field, "host", name));
        }
        for (InetAddress a : addresses) {
            if (allowed.stream().noneMatch(c -> c.contains(a))) {
                String which = a.getHostAddress().equals(name) ? name : name + " resolves to " + a.getHostAddress();
                throw new AttachRefusedException(403, "address-not-allowed", field + " " + which
                        + ", outside admin.attach_allowed " + text,
                        Map.of("field", field, "address", a.getHostAddress()));
            }
        }
    }
}
