package io.acip.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.routing.NextHop;
import io.acip.seal.AttestedInitiator;
import io.acip.wire.Metadata;
import io.acip.wire.Setup;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Initiator attestation (docs/acip-v0.md §7.6) over real links: edge, transit and far on loopback; the far node
 * hands its skill what it verified, and refuses what it cannot verify, before the skill sees it.
 */
class AttestationTest {
    private static final SkillName ECHO = new SkillName("demo/echo");
    private static final String WHO = "apikey:ci-bot";

    private final Fabric fabric = new Fabric();
    /** What the far skill was handed, one entry per accepted session. */
    private final LinkedBlockingQueue<Optional<AttestedInitiator>> seen = new LinkedBlockingQueue<>();
    private Node edge;
    private Node transit;
    private Node far;

    @AfterEach
    void stop() {
        fabric.close();
    }

    private void line(boolean farRequires) throws Exception {
        transit = fabric.node("transit", List.of());
        far = fabric.node("far", List.of(Fabric.neighbour(transit)), c -> c.withRequireAttestation(farRequires));
        edge = fabric.node("edge", List.of(Fabric.neighbour(transit)));
        Fabric.awaitLink(edge, transit);
        Fabric.awaitLink(far, transit);
        edge.addRoute(0, new SkillName("demo"), new NextHop.Neighbour("transit", 0, 1, "", Map.of()));
        transit.addRoute(0, new SkillName("demo"), new NextHop.Neighbour("far", 0, 1, "", Map.of()));
        fabric.serve(far, "demo/echo", "echo-1", incoming -> {
            seen.add(incoming.attested());
            return new Echo();
        });
    }

    private static SessionRequest attested() {
        return SessionRequest.stream(ECHO, WHO).attested(List.of("ci", "payments"));
    }

    /** Opens a session, echoes through it; returns how it ended ("" when it closed cleanly). */
    private static String echo(Node from, SessionRequest request) throws Exception {
        Recorder r = new Recorder();
        from.open(request, r);
        try {
            Session s = r.opened.get(10, TimeUnit.SECONDS);
            byte[] payload = "attested".getBytes(StandardCharsets.UTF_8);
            s.write(Unpooled.wrappedBuffer(payload), true);
            assertArrayEquals(payload, r.finished.get(10, TimeUnit.SECONDS));
            r.closed.get(10, TimeUnit.SECONDS);
            return "";
        } catch (java.util.concurrent.ExecutionException e) {
            return r.reset.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theFarSkillLearnsWhoTheEdgeAuthenticated() throws Exception {
        line(true);
        assertEquals("", echo(edge, attested()));
        assertEquals(Optional.of(new AttestedInitiator(WHO, List.of("ci", "payments"), "edge")),
                seen.poll(5, TimeUnit.SECONDS));
        assertEquals(1, edge.stats().get("acip.attestation.signed"));
        assertEquals(1, far.stats().get("acip.attestation.verified"));
    }

    @Test
    void resumedSessionsCarryItToo() throws Exception {
        line(true);
        for (int i = 0; i < 3; i++) {
            assertEquals("", echo(edge, attested()));
            assertEquals(Optional.of(new AttestedInitiator(WHO, List.of("ci", "payments"), "edge")),
                    seen.poll(5, TimeUnit.SECONDS));
        }
        assertEquals(2, edge.stats().get("acip.session.resumed"));
        assertEquals(3, far.stats().get("acip.attestation.verified"));
    }

    @Test
    void anUnattestedInitiatorIsServedUnlessTheFarNodeRequiresAttestation() throws Exception {
        line(false);
        assertEquals("", echo(edge, SessionRequest.stream(ECHO, "http://192.0.2.1")));
        assertEquals(Optional.empty(), seen.poll(5, TimeUnit.SECONDS));
        fabric.close();

        AttestationTest strict = new AttestationTest();
        try {
            strict.line(true);
            String reset = echo(strict.edge, SessionRequest.stream(ECHO, "http://192.0.2.1"));
            assertTrue(reset.startsWith("authentication_failed") && reset.contains("requires an initiator attestation"),
                    reset);
            assertTrue(strict.seen.isEmpty(), "the skill never saw the session");
        } finally {
            strict.stop();
        }
    }

    @Test
    void aSessionOnOneNodeIsAttestedWithoutASignature() throws Exception {
        line(true);
        fabric.serve(edge, "local/echo", "local-1", incoming -> {
            seen.add(incoming.attested());
            return new Echo();
        });
        assertEquals("", echo(edge, SessionRequest.stream(new SkillName("local/echo"), WHO).attested(List.of("ci"))));
        assertEquals(Optional.of(new AttestedInitiator(WHO, List.of("ci"), "edge")), seen.poll(5, TimeUnit.SECONDS));
        assertEquals(0, edge.stats().get("acip.attestation.signed"));
    }

    @Test
    void aHostileNodeCannotLiftAnAttestationOntoItsOwnSession() throws Exception {
        line(false);
        // The transit node keeps the edge's attestation as the edge's SETUP passes...
        CompletableFuture<Tlv> lifted = new CompletableFuture<>();
        transit.setupTap = setup -> {
            setup.metadata().first(TlvType.INITIATOR_ATTESTATION).ifPresent(lifted::complete);
            return setup;
        };
        assertEquals("", echo(edge, attested()));
        seen.clear();
        Tlv stolen = lifted.get(5, TimeUnit.SECONDS);
        // ...and then opens a session of its own as that initiator, with the stolen TLV after its own key share.
        transit.setupTap = setup -> new Setup(setup.label(), setup.hopLimit(), setup.datagramMode(), setup.responder(),
                setup.initiator(), insertBeforeTrajectory(setup.metadata(), stolen));
        String reset = echo(transit, SessionRequest.stream(ECHO, WHO));
        assertTrue(reset.startsWith("authentication_failed") && reset.contains("does not verify"), reset);
        assertTrue(seen.isEmpty(), "the skill never saw the lifted session");
        assertEquals(1, far.stats().get("acip.attestation.refused"));
    }

    @Test
    void aNodeAttestsOnlyInItsOwnName() throws Exception {
        line(false);
        // Any fabric node may vouch for its own initiators; the far side learns which node did.
        assertEquals("", echo(transit, attested()));
        assertEquals(Optional.of(new AttestedInitiator(WHO, List.of("ci", "payments"), "transit")),
                seen.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void aTransitNodeCannotStripTheAttestation() throws Exception {
        line(true);
        transit.setupTap = setup -> new Setup(setup.label(), setup.hopLimit(), setup.datagramMode(),
                setup.responder(), setup.initiator(), new Metadata(setup.metadata().tlvs().stream()
                        .filter(t -> t.type() != TlvType.INITIATOR_ATTESTATION).toList()));
        String reset = echo(edge, attested());
        assertTrue(reset.startsWith("authentication_failed"), reset);
        assertTrue(seen.isEmpty());
    }

    @Test
    void aStrippedAttestationAlsoFailsTheHandshakeWhereNotRequired() throws Exception {
        line(false);
        transit.setupTap = setup -> new Setup(setup.label(), setup.hopLimit(), setup.datagramMode(),
                setup.responder(), setup.initiator(), new Metadata(setup.metadata().tlvs().stream()
                        .filter(t -> t.type() != TlvType.INITIATOR_ATTESTATION).toList()));
        String reset = echo(edge, attested());
        assertTrue(reset.startsWith("authentication_failed"), "the transcripts differ: " + reset);
    }

    private static Metadata insertBeforeTrajectory(Metadata m, Tlv extra) {
        List<Tlv> out = new java.util.ArrayList<>(m.tlvs());
        int at = 0;
        while (at < out.size() && out.get(at).type() != TlvType.TRAJECTORY) at++;
        out.add(at, extra);
        return new Metadata(out);
    }
}
