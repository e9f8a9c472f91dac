package io.acip.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.control.RouteAttributes;
import io.acip.routing.NextHop;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CATS metrics over real links (docs/acip-v0.md §12.4): an edge with learned routes to two far nodes, each serving
 * demo/echo and announcing the LOAD its probe measures. New sessions leave a loaded instance and come back when it
 * recovers; a noisy metric moves nothing; an affinity key keeps its instance whatever the metrics say.
 */
class MetricSteeringTest {
    static final SkillName ECHO = new SkillName("demo/echo");

    private Fabric fabric;
    private Node edge;
    private final AtomicLong loadA = new AtomicLong();
    private final AtomicLong loadB = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        fabric = new Fabric();
        Node farA = fabric.node("far-a", List.of());
        Node farB = fabric.node("far-b", List.of());
        edge = fabric.node("edge", List.of(Fabric.neighbour(farA), Fabric.neighbour(farB)));
        serve(farA, "echo-a", loadA);
        serve(farB, "echo-b", loadB);
        awaitTiers(Map.of("far-a", 0, "far-b", 0));
    }

    @AfterEach
    void stop() {
        fabric.close();
    }

    private void serve(Node far, String instance, AtomicLong load) {
        fabric.serve(far, ECHO.value(), instance, Echo.SKILL);
        far.control().originate(0, ECHO, instance, () -> new RouteAttributes(RouteAttributes.ORIGIN_ATTACHED, "",
                Map.of(), load.get(), 1));
    }

    /** Waits until the edge's learned hops for demo/echo have exactly these metric tiers. */
    private void awaitTiers(Map<String, Integer> tiers) throws Exception {
        edge.control().awaitRoutes(t -> t.lookup(0, ECHO).map(r -> {
            Map<String, Integer> seen = new HashMap<>();
            for (NextHop h : r.hops()) seen.put(((NextHop.Neighbour) h).nodeId(), h.tier());
            return seen.equals(tiers);
        }).orElse(false)).get(10, TimeUnit.SECONDS);
    }

    /** Which instance each of {@code n} new sessions reached, counted. */
    private Map<String, Integer> spread(int n, Tlv... metadata) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Recorder r = new Recorder();
            edge.open(SessionRequest.stream(ECHO, "agent://t", metadata), r);
            Session s = r.opened.get(10, TimeUnit.SECONDS);
            s.write(Unpooled.copiedBuffer("hi", StandardCharsets.UTF_8), true);
            r.finished.get(10, TimeUnit.SECONDS);
            out.merge(s.selectedInstance(), 1, Integer::sum);
        }
        return out;
    }

    @Test
    void newSessionsLeaveALoadedInstanceAndComeBack() throws Exception {
        assertEquals(2, spread(40).size(), "both instances serve while equally loaded");

        loadA.set(900); // 90 % of capacity: five times the delay of an idle instance
        awaitTiers(Map.of("far-a", 1, "far-b", 0));
        assertEquals(Map.of("echo-b", 30), spread(30));

        loadA.set(0);
        awaitTiers(Map.of("far-a", 0, "far-b", 0));
        assertEquals(2, spread(40).size(), "echo-a serves again once it recovered");
    }

    @Test
    void aNoisyMetricMovesNothing() throws Exception {
        long changed = edge.stats().get("acip.control.tier.changed");
        long updates = edge.stats().get("acip.control.update.received");
        Random noise = new Random(7);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        Map<String, Integer> seen = new HashMap<>();
        while (System.nanoTime() < end) { // both flicker between idle and 40 % loaded, as instances under bursts do
            loadA.set(noise.nextInt(400));
            loadB.set(noise.nextInt(400));
            spread(2).forEach((k, v) -> seen.merge(k, v, Integer::sum));
        }
        assertTrue(edge.stats().get("acip.control.update.received") > updates + 1, "metric changes reached the edge");
        assertEquals(changed, edge.stats().get("acip.control.tier.changed"), "no session moved for noise");
        assertEquals(2, seen.size(), "both instances served throughout: " + seen);
    }

    @Test
    void anAffinityKeyStaysOnItsInstanceWhateverTheMetrics() throws Exception {
        Tlv key = Tlv.ofString(TlvType.AFFINITY_KEY, "mcp-session-1");
        String home = spread(1, key).keySet().iterator().next();
        (home.equals("echo-a") ? loadA : loadB).set(900);
        awaitTiers(home.equals("echo-a") ? Map.of("far-a", 1, "far-b", 0) : Map.of("far-a", 0, "far-b", 1));
        assertEquals(Map.of(home, 5), spread(5, key), "the keyed flow kept its instance");
        assertEquals(1, spread(10).size(), "unkeyed sessions avoid the loaded one");
    }
}
