package io.acip.gateway.admin;

import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.AgentSkill;
import io.acip.gateway.attach.AttachRefusedException;
import io.acip.gateway.attach.CheckedAddresses;
import io.acip.gateway.egress.Cidr;
import io.acip.gateway.egress.NameLookup;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where agents registered at run time may point the gateway ({@code admin.attach_allowed}, default loopback only):
 * every address their origin and UDP endpoints resolve to must fall inside one of the ranges, or a registration
 * could aim the gateway at the inside (cloud metadata at 169.254.169.254, private services). The addresses checked
 * are the ones the gateway uses ({@link CheckedAddresses}). Agents from the configuration file are not checked: the
 * operator wrote them.
 */
final class AttachScope {
    private final List<Cidr> allowed;
    private final List<String> text;
    private final NameLookup names;

    AttachScope(List<String> ranges) {
        this(ranges, NameLookup.SYSTEM);
    }

    AttachScope(List<String> ranges, NameLookup names) {
        this.allowed = ranges.stream().map(Cidr::parse).toList();
        this.text = List.copyOf(ranges);
        this.names = names;
    }

    /**
     * Refuses (403, naming the address) a registration that reaches outside the allowed ranges; else the addresses
     * that were checked, which the gateway then connects to (never to a second lookup's).
     */
    CheckedAddresses check(AgentRegistration r) throws AttachRefusedException {
        Map<String, List<InetAddress>> checked = new HashMap<>();
        check("origin", r.origin().getHost(), checked);
        if (r.udp().isPresent()) check("udp", r.udp().get().host(), checked);
        for (int i = 0; i < r.skills().size(); i++) {
            AgentSkill s = r.skills().get(i);
            if (s.udp().isPresent()) check("skills[" + i + "].udp", s.udp().get().host(), checked);
        }
        return new CheckedAddresses(checked);
    }

    private void check(String field, String host, Map<String, List<InetAddress>> checked)
            throws AttachRefusedException {
        String name = CheckedAddresses.bare(host);
        if (checked.containsKey(name)) return; // one lookup per name: every use connects to the same addresses
        InetAddress[] addresses;
        try {
            addresses = names.lookup(name);
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
        checked.put(name, List.of(addresses));
    }
}
