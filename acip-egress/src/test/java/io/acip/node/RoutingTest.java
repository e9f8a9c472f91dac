package io.acip.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.routing.NextHop;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Edge with two routes to the far node: via transit A (preferred) and transit B. Far serves demo/echo in two
 * instances, one in region eu with a GPU, one in region us without.
 */
class RoutingTest {
    private static final SkillName ECHO = new SkillName("demo/echo");
    private Fabric fabric;
    private Node edge;
    private Node transitA;
    private Node transitB;
    private Node far;

    @BeforeEach
    void start() throws Exception {
        fabric = new Fabric();
        far = fabric.node("far", List.of());
        transitA = fabric.node("transit-a", List.of(Fabric.neighbour(far)));
        transitB = fabric.node("transit-b", List.of(Fabric.neighbour(far)));
        edge = fabric.node("edge", List.of(Fabric.neighbour(transitA), Fabric.neighbour(transitB)));
        Fabric.awaitLink(edge, transitA);
        Fabric.awaitLink(edge, transitB);
        Fabric.awaitLink(transitA, far);
        Fabric.awaitLink(transitB, far);
        edge.addRoute(0, ECHO, new NextHop.Neighbour("transit-a", 0, 1, "", Map.of()));
        edge.addRoute(0, ECHO, new NextHop.Neighbour("transit-b", 1, 1, "", Map.of()));
        transitA.addRoute(0, ECHO, new NextHop.Neighbour("far", 0, 1, "", Map.of()));
        transitB.addRoute(0, ECHO, new NextHop.Neighbour("far", 0, 1, "", Map.of()));
        far.attach(0, ECHO, new LocalInstance("echo-eu", 0, 1, "eu", Map.of("gpu", "true"), fabric.skill("demo/echo"),
                Echo.SKILL));
        far.attach(0, ECHO, new LocalInstance("echo-us", 0, 1, "us", Map.of(), fabric.skill("demo/echo"), Echo.SKILL));
    }

    @AfterEach
    void stop() {
        fabric.close();
    }

    private Session open(Tlv... metadata) throws Exception {
        Recorder r = new Recorder();
        edge.open(SessionRequest.stream(ECHO, "agent://t", metadata), r);
        return r.opened.get(10, TimeUnit.SECONDS);
    }

    private String refused(Tlv... metadata) throws Exception {
        Recorder r = new Recorder();
        edge.open(SessionRequest.stream(ECHO, "agent://t", metadata), r);
        return r.reset.get(10, TimeUnit.SECONDS);
    }

    @Test
    void preferredNextHopCarriesTheSession() throws Exception {
        assertEquals(List.of("edge", "transit-a", "far"), open().trajectory());
    }

    @Test
    void failsOverWhenPreferredNeighbourIsDown() throws Exception {
        transitA.close();
        assertEquals(List.of("edge", "transit-b", "far"), open().trajectory());
    }

    @Test
    void failsOverWhenPreferredNeighbourHasNoRoute() throws Exception {
        transitA.routes().remove(0, ECHO, "node:far");
        Session s = open();
        assertEquals(List.of("edge", "transit-b", "far"), s.trajectory());
        assertTrue(edge.stats().get("acip.setup.failover") >= 1);
    }

    /** A route exists but no next hop can take the SETUP: the destination is unavailable, not unknown. */
    @Test
    void everyNextHopDownIsDestinationUnavailable() throws Exception {
        transitA.close();
        transitB.close();
        String reset = refused();
        assertTrue(reset.startsWith("destination_unavailable"), reset);
        assertTrue(reset.contains("transit-a") && reset.contains("transit-b"), reset);
    }

    /** Both next hops answer that they know no route: the skill is unreachable (the agent hears 502 not found). */
    @Test
    void everyNextHopWithoutRouteIsSkillUnreachable() throws Exception {
        transitA.routes().remove(0, ECHO, "node:far");
        transitB.routes().remove(0, ECHO, "node:far");
        String reset = refused();
        assertTrue(reset.startsWith("skill_unreachable"), reset);
    }

    /** One next hop down, the other without a route: the route may come back with the hop, so unavailable. */
    @Test
    void aDownHopOutweighsAHopWithoutRoute() throws Exception {
        transitA.close();
        transitB.routes().remove(0, ECHO, "node:far");
        String reset = refused();
        assertTrue(reset.startsWith("destination_unavailable"), reset);
    }

    @Test
    void regionPolicySelectsTheInstance() throws Exception {
        assertEquals("echo-us", open(Tlv.ofString(TlvType.ALLOWED_REGIONS, "us")).selectedInstance());
        assertEquals("echo-eu", open(Tlv.ofString(TlvType.ALLOWED_REGIONS, "eu,ap")).selectedInstance());
        assertEquals("echo-eu", open(Tlv.ofString(TlvType.REQUIRED_ATTRIBUTES, "gpu=true")).selectedInstance());
    }

    @Test
    void policyNothingSatisfiesIsDeniedWithDetail() throws Exception {
        String reset = refused(Tlv.ofString(TlvType.ALLOWED_REGIONS, "us"), Tlv.ofString(TlvType.REQUIRED_ATTRIBUTES,
                "gpu=true"));
        assertTrue(reset.startsWith("policy_denied"), reset);
        assertTrue(reset.contains("far") && reset.contains("regions=[us]"), reset);
    }

    @Test
    void unknownMustUnderstandTlvIsRefused() throws Exception {
        String reset = refused(new Tlv(0x41, new byte[] {1}));
        assertTrue(reset.startsWith("unsupported_tlv"), reset);
    }

    @Test
    void unknownOptionalTlvTravelsUnchanged() throws Exception {
        byte[] value = {9, 8, 7};
        java.util.concurrent.CompletableFuture<byte[]> seen = new java.util.concurrent.CompletableFuture<>();
        far.attach(0, new SkillName("demo/probe"), LocalInstance.of("probe", fabric.skill("demo/probe"), in -> {
            seen.complete(in.metadata().first(0x40).orElseThrow().value());
            return new Echo();
        }));
        edge.addRoute(0, new SkillName("demo/probe"), new NextHop.Neighbour("transit-a", 0, 1, "", Map.of()));
        transitA.addRoute(0, new SkillName("demo/probe"), new NextHop.Neighbour("far", 0, 1, "", Map.of()));
        Recorder r = new Recorder();
        edge.open(SessionRequest.stream(new SkillName("demo/probe"), "agent://t", new Tlv(0x40, value)), r);
        r.opened.get(10, TimeUnit.SECONDS);
        org.junit.jupiter.api.Assertions.assertArrayEquals(value, seen.get(5, TimeUnit.SECONDS));
    }

    @Test
    void affinityKeyKeepsTheInstance() throws Exception {
        for (String key : List.of("flow-1", "flow-2", "flow-3")) {
            Tlv affinity = Tlv.ofString(TlvType.AFFINITY_KEY, key);
            String first = open(affinity).selectedInstance();
            for (int i = 0; i < 4; i++) assertEquals(first, open(affinity).selectedInstance(), key);
        }
        Set<String> spread = new HashSet<>();
        for (int i = 0; i < 40 && spread.size() < 2; i++) {
            spread.add(open(Tlv.ofString(TlvType.AFFINITY_KEY, "k" + i)).selectedInstance());
        }
        assertEquals(Set.of("echo-eu", "echo-us"), spread, "keys spread over both instances");
    }

    @Test
    void tenantsAreIsolated() throws Exception {
        String reset = refused(Tlv.ofVarInt(TlvType.TENANT, 7));
        assertTrue(reset.startsWith("skill_unreachable") && reset.contains("tenant 7"), reset);
    }
}
