package io.acip.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What an application may ask for, and which neighbours a node lets in. */
class RequestLimitsTest {
    private static final SkillName SKILL = new SkillName("demo/echo");

    @Test
    void requestsOutsideTheLimitsAreRefusedBeforeAnythingIsSent() {
        assertThrows(IllegalArgumentException.class, () -> SessionRequest.stream(SKILL, "a").withHopLimit(0));
        assertThrows(IllegalArgumentException.class, () -> SessionRequest.stream(SKILL, "a").withHopLimit(256));
        assertThrows(IllegalArgumentException.class, () -> SessionRequest.stream(SKILL, "x".repeat(256)));
        assertThrows(IllegalArgumentException.class, () -> SessionRequest.stream(SKILL, "a",
                new Tlv(TlvType.KEY_SHARE, new byte[32])));
        assertThrows(IllegalArgumentException.class, () -> SessionRequest.stream(SKILL, "a",
                Tlv.ofString(TlvType.TRAJECTORY, "forged")));
        List<Tlv> many = new ArrayList<>();
        for (int i = 0; i <= SessionRequest.MAX_TLVS; i++) many.add(Tlv.ofString(TlvType.TRACEPARENT, "t"));
        assertThrows(IllegalArgumentException.class, () -> SessionRequest.stream(SKILL, "a", many.toArray(Tlv[]::new)));
        assertThrows(IllegalArgumentException.class, () -> SessionRequest.stream(SKILL, "a",
                new Tlv(0x40, new byte[SessionRequest.MAX_METADATA_BYTES])));
        assertEquals(255, SessionRequest.stream(SKILL, "a").withHopLimit(255).hopLimit());
    }

    @Test
    void listenerAdmitsOnlyListedNeighbours() throws Exception {
        try (Fabric fabric = new Fabric()) {
            Node guarded = Node.start(NodeConfig.defaults("guarded", new java.net.InetSocketAddress("127.0.0.1", 0),
                    fabric.ca.issueNode("guarded", Fabric.VALIDITY), fabric.ca.certificate(), List.of())
                    .withLimits(1000, Set.of("friend")));
            try {
                Node friend = fabric.node("friend", List.of(Fabric.neighbour(guarded)));
                Node stranger = fabric.node("stranger", List.of(Fabric.neighbour(guarded)));
                friend.linkReady("guarded").get(10, TimeUnit.SECONDS);
                guarded.linkReady("friend").get(10, TimeUnit.SECONDS);
                // The stranger's link is refused at every attempt; a barrier on the guarded node's loop is enough
                // once the stranger has redialled at least once.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (stranger.stats().get("acip.link.redial") < 2 && System.nanoTime() < deadline) {
                    stranger.linkReady("nobody").getNow(null);
                    Thread.onSpinWait();
                }
                assertTrue(guarded.stats().get("acip.link.refused") >= 1, guarded.stats().snapshot().toString());
                assertEquals(List.of("friend"), guarded.connectedNeighbours().get(5, TimeUnit.SECONDS));
            } finally {
                guarded.close();
            }
        }
    }
}
