package io.acip.gateway.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** How direct egress turns a host name into addresses: the system's resolver, or a test's. */
@FunctionalInterface
public interface NameLookup {
    NameLookup SYSTEM = InetAddress::getAllByName;

    /** Every address of {@code host} (an IP literal is its own answer). */
    InetAddress[] lookup(String host) throws UnknownHostException;
}
