package io.acip.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionsPerIpCountTest {
    @Test
    void anIpv4MappedAddressCountsAsItsIpv4Address() throws Exception {
        InetAddress v4 = InetAddress.getByName("192.0.2.7");
        // Built from bytes: InetAddress.getByName would unwrap the mapped form itself.
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 7};
        InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, null);
        assertEquals(v4, ConnectionsPerIp.clientIp(v6));
        ConnectionsPerIp perIp = new ConnectionsPerIp(2);
        assertNotNull(perIp.tryOpen(v4));
        assertNotNull(perIp.tryOpen(v6));
        assertNull(perIp.tryOpen(v4), "the third connection of one client, whichever form its address takes");
        assertEquals(2, perIp.open(v6));
    }

    @Test
    void aReleaseCountsOnceHoweverOftenItRuns() throws Exception {
        InetAddress a = InetAddress.getByName("2001:db8::1");
        ConnectionsPerIp perIp = new ConnectionsPerIp(1);
        Runnable release = perIp.tryOpen(a);
        assertNull(perIp.tryOpen(a));
        release.run();
        release.run();
        assertEquals(0, perIp.addresses());
        Runnable again = perIp.tryOpen(a);
        assertNotNull(again);
        release.run(); // a stale token does not release the new connection
        assertEquals(1, perIp.open(a));
        again.run();
        assertEquals(0, perIp.addresses());
    }

    @Test
    void zeroCountsWithoutLimit() throws Exception {
        InetAddress a = InetAddress.getByName("198.51.100.1");
        ConnectionsPerIp perIp = new ConnectionsPerIp(0);
        for (int i = 0; i < 1000; i++) assertNotNull(perIp.tryOpen(a));
        assertEquals(1000, perIp.open(a));
    }
}
