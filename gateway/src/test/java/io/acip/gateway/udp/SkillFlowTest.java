package io.acip.gateway.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.HttpFailure;
import io.acip.node.Session;
import io.acip.node.SessionHandler;
import io.acip.node.SessionRequest;
import io.acip.wire.Limits;
import io.acip.wire.ResetCode;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CONNECT-UDP flows to skills: datagram-mode sessions across edge, transit and far to a real UDP echo agent. */
class SkillFlowTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static java.nio.file.Path dir;
    static FakeDnsServer dns;
    static UdpFabric fabric;

    @BeforeAll
    static void start() throws Exception {
        dns = new FakeDnsServer();
        fabric = new UdpFabric(dir, dns);
    }

    @AfterAll
    static void stop() throws Exception {
        fabric.close();
        dns.close();
    }

    private static TestUdpFlow open(String host) {
        TestUdpFlow flow = new TestUdpFlow(host, 443);
        fabric.handler().onConnectUdp(flow);
        return flow;
    }

    private static byte[] payload(int i, int size) {
        byte[] b = new byte[size];
        byte[] tag = ("#" + i + "#").getBytes(StandardCharsets.US_ASCII);
        for (int k = 0; k < size; k++) b[k] = k < tag.length ? tag[k] : (byte) (i * 31 + k);
        return b;
    }

    @Test
    void aSkillWithItsOwnUdpEndpointIsServedThereNotAtItsAgents() throws Exception {
        TestUdpFlow own = open("udp-own.test.acip");
        assertTrue(own.awaitAccepted());
        own.agentSends(payload(1, 64));
        assertArrayEquals(payload(1, 64), own.receive(WAIT));
        own.agentCloses();
    }

    @Test
    void manyDatagramsMakeTheRoundTripAcrossThreeNodes() throws Exception {
        long upBefore = fabric.edge.metrics().get("gateway.udp.datagram.up");
        TestUdpFlow flow = open("udp-echo.test.acip");
        byte[] early = payload(-1, 100);
        flow.agentSends(early); // before the answer: the listener holds it, then hands it over on accept
        assertTrue(flow.awaitAccepted());
        assertArrayEquals(early, flow.receive(WAIT));
        int n = 300;
        for (int i = 0; i < n; i++) {
            byte[] p = payload(i, 1 + (i * 37) % 1400);
            flow.agentSends(p);
            assertArrayEquals(p, flow.receive(WAIT), "datagram " + i);
        }
        assertEquals(1, flow.answers.get());
        assertTrue(fabric.edge.metrics().get("gateway.udp.datagram.up") - upBefore >= n + 1);
        assertTrue(fabric.edge.metrics().get("gateway.udp.datagram.down") >= n + 1);
        assertTrue(fabric.far.metrics().get("gateway.udp.far.datagram.to_agent") >= n + 1);
        assertTrue(fabric.far.metrics().get("gateway.udp.far.datagram.from_agent") >= n + 1);
        flow.agentCloses();
    }

    @Test
    void aBurstArrivesWithoutLossOnLoopback() throws Exception {
        TestUdpFlow flow = open("udp-echo.test.acip");
        flow.awaitAccepted();
        int n = 64;
        for (int i = 0; i < n; i++) flow.agentSends(payload(i, 512));
        int got = 0;
        while (got < n && flow.receive(Duration.ofSeconds(2)) != null) got++;
        // UDP may lose some under load; most of a small burst on loopback must arrive, each intact (checked above).
        assertTrue(got >= n / 2, "echoed " + got + " of " + n);
        flow.agentCloses();
    }

    @Test
    void aPayloadOverTheDgramLimitIsDroppedAndCountedNeverFragmented() throws Exception {
        int limit = UdpSettings.defaults().maxDgramPayload();
        long droppedBefore = fabric.edge.metrics().get("gateway.udp.dropped.too_big");
        long linkDropsBefore = fabric.edge.metrics().get("acip.dgram.dropped.too_big")
                + fabric.transit.metrics().get("acip.dgram.dropped.too_big")
                + fabric.far.metrics().get("acip.dgram.dropped.too_big");
        TestUdpFlow flow = open("udp-echo.test.acip");
        flow.awaitAccepted();

        byte[] atLimit = payload(1, limit);
        flow.agentSends(atLimit);
        assertArrayEquals(atLimit, flow.receive(WAIT), "the largest payload the limit allows crosses every link");

        flow.agentSends(payload(2, limit + 1));
        byte[] small = payload(3, 10);
        flow.agentSends(small);
        assertArrayEquals(small, flow.receive(WAIT), "the flow goes on after a drop");
        assertNull(flow.receive(Duration.ofMillis(200)), "nothing of the oversized payload arrives");
        assertEquals(droppedBefore + 1, fabric.edge.metrics().get("gateway.udp.dropped.too_big"));
        assertEquals(linkDropsBefore, fabric.edge.metrics().get("acip.dgram.dropped.too_big")
                + fabric.transit.metrics().get("acip.dgram.dropped.too_big")
                + fabric.far.metrics().get("acip.dgram.dropped.too_big"), "dropped at the gateway, not on a link");
        flow.agentCloses();
    }

    @Test
    void aSkillWithoutUdpEndpointIsRefusedWithDestinationUnavailable() throws Exception {
        TestUdpFlow flow = open("no-udp.test.acip");
        HttpFailure f = flow.awaitRefused();
        assertEquals(503, f.status());
        assertEquals(ProxyErrorType.DESTINATION_UNAVAILABLE, f.error());
        assertTrue(f.detail().contains("registered no UDP endpoint"), f.detail());
        assertEquals(1, flow.answers.get());
        assertTrue(fabric.far.metrics().get("gateway.udp.far.session.refused.no_endpoint") >= 1);
    }

    @Test
    void aSkillWithoutRouteIsRefusedLikeAnHttpExchange() throws Exception {
        TestUdpFlow flow = open("nowhere.elsewhere.acip");
        HttpFailure f = flow.awaitRefused();
        assertEquals(502, f.status());
        assertEquals(ProxyErrorType.DESTINATION_NOT_FOUND, f.error());
    }

    @Test
    void theFarSideClosesAnIdleSocketAndTheFlowEndsWithATimeout() throws Exception {
        TestUdpFlow flow = open("udp-echo.test.acip");
        flow.awaitAccepted();
        byte[] p = payload(7, 20);
        flow.agentSends(p);
        assertArrayEquals(p, flow.receive(WAIT));
        Optional<Throwable> cause = flow.awaitClosed(WAIT); // idle 1.5 s at far, then RESET timeout back to the edge
        assertTrue(cause.isPresent());
        assertInstanceOf(TimeoutException.class, cause.get());
        assertTrue(fabric.far.metrics().get("gateway.udp.far.closed.idle_timeout") >= 1);
    }

    @Test
    void anUnreachableUdpEndpointAtTheFarSideEndsTheFlow() throws Exception {
        TestUdpFlow flow = open("udp-closed.test.acip");
        flow.awaitAccepted();
        flow.agentSends(payload(1, 30)); // answered by ICMP port unreachable at far
        Optional<Throwable> cause = flow.awaitClosed(WAIT);
        assertTrue(cause.isPresent());
        assertInstanceOf(IOException.class, cause.get());
        assertTrue(cause.get().getMessage().startsWith("destination_unavailable"), cause.get().getMessage());
        assertTrue(fabric.far.metrics().get("gateway.udp.far.closed.unreachable") >= 1);
    }

    @Test
    void theAgentClosingItsFlowCancelsTheSession() throws Exception {
        long cancelled = fabric.far.metrics().get("acip.reset.received.cancelled");
        TestUdpFlow flow = open("udp-echo.test.acip");
        flow.awaitAccepted();
        flow.agentCloses();
        Waits.until(() -> fabric.far.metrics().get("acip.reset.received.cancelled") > cancelled, WAIT);
        assertTrue(!flow.closed(), "a close the agent made is not echoed back to it");
    }

    @Test
    void aUdpSessionNeverReachesTheHttpPathNorHttpTheUdpEndpoint() throws Exception {
        SkillName skill = new SkillName("test/udp-echo");
        // Datagram-mode without a payload protocol would default to Binary HTTP: refused.
        String refused = refusal(new SessionRequest(skill, "test", true, List.of(), Limits.DEFAULT_HOP_LIMIT));
        assertTrue(refused.startsWith("protocol_violation: ") && refused.contains(
                "payload protocol bhttp cannot ride a datagram-mode session"), refused);
        // "udp" on a connection-mode session, "bytes" on a datagram-mode one: refused too.
        assertTrue(refusal(new SessionRequest(skill, "test", false, List.of(Tlv.ofString(TlvType.PAYLOAD_PROTOCOL,
                "udp")), Limits.DEFAULT_HOP_LIMIT)).contains("payload protocol udp needs a datagram-mode session"));
        assertTrue(refusal(new SessionRequest(skill, "test", true, List.of(Tlv.ofString(TlvType.PAYLOAD_PROTOCOL,
                "bytes")), Limits.DEFAULT_HOP_LIMIT)).contains("payload protocol bytes cannot ride"));
    }

    /** The RESET code and detail of a session the far side refused. */
    private static String refusal(SessionRequest request) throws Exception {
        CompletableFuture<String> reset = new CompletableFuture<>();
        fabric.edge.node().open(request, new SessionHandler() {
            @Override
            public void onOpen(Session s) {
                reset.completeExceptionally(new AssertionError("opened"));
                s.reset(ResetCode.CANCELLED, "test");
            }

            @Override
            public void onReset(Session s, ResetCode code, String detail) {
                reset.complete(code.token() + ": " + detail);
            }
        });
        String detail = reset.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(detail);
        return detail;
    }
}
