package io.acip.gateway.udp;

import io.acip.ingress.HttpFailure;
import java.net.InetAddress;
import java.util.List;

/** What looking up a target gives: its addresses, or the refusal to answer the request with. */
public sealed interface Resolution {
    /** At least one address, IPv4 first. */
    record Addresses(List<InetAddress> addresses) implements Resolution {
        public Addresses {
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) throw new IllegalArgumentException("no address");
        }
    }

    record Failed(HttpFailure refusal) implements Resolution {
    }
}
