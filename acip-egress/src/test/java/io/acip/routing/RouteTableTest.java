package io.acip.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.wire.SkillName;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static final SkillName ECHO = new SkillName("demo/echo");

    /** A neighbour announcing and withdrawing in ever new tenants must not leave a map per tenant behind. */
    @Test
    void aTenantsLastRouteTakesItsMapsWithIt() {
        RouteTable table = new RouteTable();
        for (long tenant = 1; tenant <= 1000; tenant++) {
            table.setLearned(tenant, ECHO, List.of(new NextHop.Neighbour("n1", 100, 1, "", Map.of())));
            table.add(tenant, ECHO, new NextHop.Neighbour("n2", 0, 1, "", Map.of()));
            assertTrue(table.lookup(tenant, ECHO).isPresent());
            table.setLearned(tenant, ECHO, List.of());
            table.remove(tenant, ECHO, "node:n2");
        }
        assertEquals(Map.of(), table.snapshot());
        assertEquals(0, table.tenantsHeld());
    }

    @Test
    void aTenantWithRoutesLeftKeepsThem() {
        RouteTable table = new RouteTable();
        SkillName other = new SkillName("demo/other");
        table.add(7, ECHO, new NextHop.Neighbour("n1", 0, 1, "", Map.of()));
        table.add(7, other, new NextHop.Neighbour("n1", 0, 1, "", Map.of()));
        table.remove(7, ECHO, "node:n1");
        assertTrue(table.lookup(7, other).isPresent());
        assertTrue(table.lookup(7, ECHO).isEmpty());
        assertEquals(1, table.tenantsHeld());
    }
}
