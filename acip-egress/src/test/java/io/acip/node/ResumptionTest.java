package io.acip.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acip.wire.SkillName;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Session resumption (docs/acip-v0.md §7.5) across three nodes on loopback. */
class ResumptionTest {
    private static final SkillName ECHO = new SkillName("demo/echo");

    private Fabric fabric;
    private Node edge;
    private Node far;

    @BeforeEach
    void start() throws Exception {
        fabric = new Fabric();
        Fabric.Line line = fabric.echoLine();
        edge = line.edge();
        far = line.far();
    }

    @AfterEach
    void stop() {
        fabric.close();
    }

    private String echo(String text) throws Exception {
        return echo(edge, text);
    }

    /** Opens a session from {@code from}, echoes a payload through it and returns the instance that served it. */
    private static String echo(Node from, String text) throws Exception {
        Recorder r = new Recorder();
        from.open(SessionRequest.stream(ECHO, "agent://test"), r);
        Session s = r.opened.get(10, TimeUnit.SECONDS);
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        s.write(Unpooled.wrappedBuffer(payload), true);
        assertArrayEquals(payload, r.finished.get(10, TimeUnit.SECONDS));
        r.closed.get(10, TimeUnit.SECONDS);
        return s.selectedInstance();
    }

    @Test
    void laterSessionsResumeWithoutAFullHandshake() throws Exception {
        for (int i = 0; i < 5; i++) assertEquals("echo-1", echo("message " + i));
        assertEquals(1, edge.stats().get("acip.session.full_handshake"));
        assertEquals(4, edge.stats().get("acip.session.resumed"));
    }

    @Test
    void aTicketTheResponderNoLongerHoldsFallsBackToAFullHandshake() throws Exception {
        assertEquals("echo-1", echo("first"));
        // The instance goes away and another takes its place: the edge's ticket names a secret nobody holds.
        far.detach(0, ECHO, "echo-1");
        fabric.serve(far, "demo/echo", "echo-2", Echo.SKILL);
        assertEquals("echo-2", echo("after the move"));
        assertEquals(1, edge.stats().get("acip.session.resumption_retried"));
        assertEquals(1, far.stats().get("acip.session.resumption_refused"));
        assertEquals(2, edge.stats().get("acip.session.full_handshake"));
        assertEquals("echo-2", echo("resumed again"));
        assertEquals(1, edge.stats().get("acip.session.resumed"));
    }

    @Test
    void theRetryWorksWhenBothEndsAreOnOneNode() throws Exception {
        Node solo = fabric.node("solo", java.util.List.of());
        fabric.serve(solo, "demo/echo", "local-1", Echo.SKILL);
        assertEquals("local-1", echo(solo, "first"));
        solo.detach(0, ECHO, "local-1");
        fabric.serve(solo, "demo/echo", "local-2", Echo.SKILL);
        assertEquals("local-2", echo(solo, "moved"));
        assertEquals("local-2", echo(solo, "resumed"));
        assertEquals(1, solo.stats().get("acip.session.resumption_retried"));
        assertEquals(2, solo.stats().get("acip.session.full_handshake"));
        assertEquals(1, solo.stats().get("acip.session.resumed"));
    }
}
