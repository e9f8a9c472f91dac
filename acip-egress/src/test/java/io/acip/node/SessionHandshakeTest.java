package io.acip.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.seal.PacketProtection;
import io.acip.seal.ResumptionTicket;
import io.acip.seal.SessionAuthenticationException;
import io.acip.seal.SessionKeys;
import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import io.acip.wire.Limits;
import io.acip.wire.Metadata;
import io.acip.wire.ResetCode;
import io.acip.wire.Setup;
import io.acip.wire.SetupAck;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import io.acip.wire.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Full and resumed handshakes (docs/acip-v0.md §7.2, §7.4, §7.5) between an initiator and a responder in memory. */
class SessionHandshakeTest {
    private static final FabricCa CA = FabricCa.generate("handshake test");
    private static final SkillName SKILL = new SkillName("bank/payments");
    private static final SkillIdentity IDENTITY = identity("bank/payments");
    private static final Duration HOUR = Duration.ofHours(1);

    private final SecureRandom random = new SecureRandom();
    private final Map<String, ResumptionTicket> held = new HashMap<>();
    private final Function<byte[], ResumptionTicket> lookup = id -> held.get(Arrays.toString(id));

    private static SkillIdentity identity(String skill) {
        IssuedIdentity id = CA.issueSkill(skill, Duration.ofDays(1));
        return new SkillIdentity(id.privateKey(), id.certificate());
    }

    private static Setup setup(SessionHandshake initiator) {
        return new Setup(0, Limits.DEFAULT_HOP_LIMIT, false, SKILL, "agent://a",
                Metadata.of(Tlv.ofString(TlvType.PAYLOAD_PROTOCOL, "bhttp"), initiator.setupTlv()));
    }

    private record Outcome(SessionKeys initiator, SessionKeys responder, ResumptionTicket kept,
                           ResumptionTicket issued) {
    }

    private Outcome run(SessionHandshake initiator, String instance, Duration responderLifetime) throws Exception {
        Setup setup = setup(initiator);
        SessionHandshake.Response r = SessionHandshake.respond(setup, IDENTITY, instance, lookup, responderLifetime,
                random);
        if (r.issued() != null) held.put(Arrays.toString(r.issued().id()), r.issued());
        SessionHandshake.Completion c = initiator.complete(setup, new SetupAck(0, r.ackMetadata()), CA.certificate(),
                HOUR);
        return new Outcome(c.keys(), r.keys(), c.ticket(), r.issued());
    }

    private static void assertSameKeys(SessionKeys a, SessionKeys b) throws Exception {
        assertEquals("hello", roundTrip(a.sender(true), b.receiver(false)));
        assertEquals("hello", roundTrip(b.sender(false), a.receiver(true)));
    }

    private static String roundTrip(PacketProtection sealer, PacketProtection opener) throws Exception {
        ByteBuf plaintext = Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8);
        ByteBuf sealed = sealer.seal(ByteBufAllocator.DEFAULT, PacketType.DATA, 0, 0, plaintext);
        plaintext.release();
        try {
            ByteBuf plain = opener.openInOrder(ByteBufAllocator.DEFAULT, sealed);
            try {
                return plain.toString(StandardCharsets.UTF_8);
            } finally {
                plain.release();
            }
        } finally {
            sealed.release();
        }
    }

    @Test
    void fullHandshakeLeavesTheSameTicketAtBothEnds() throws Exception {
        Outcome full = run(SessionHandshake.full(random), "i-1", HOUR);
        assertSameKeys(full.initiator(), full.responder());
        assertNotNull(full.kept());
        assertArrayEquals(full.issued().id(), full.kept().id());
        assertArrayEquals(full.issued().secret(), full.kept().secret());
        assertEquals("bank/payments", full.kept().skill());
        assertEquals("i-1", full.kept().instance());
        assertFalse(full.kept().toString().contains(Arrays.toString(full.kept().secret())), "no secret in logs");
    }

    @Test
    void resumedHandshakesAgreeOnFreshKeysWithoutAnyCertificate() throws Exception {
        ResumptionTicket ticket = run(SessionHandshake.full(random), "i-1", HOUR).kept();
        SessionHandshake first = SessionHandshake.resume(ticket, random);
        Setup setup = setup(first);
        assertTrue(setup.metadata().first(TlvType.KEY_SHARE).isEmpty());
        assertEquals(32, setup.metadata().first(TlvType.RESUME).orElseThrow().value().length);
        Outcome a = run(first, "i-1", HOUR);
        Outcome b = run(SessionHandshake.resume(ticket, random), "i-1", HOUR);
        assertSameKeys(a.initiator(), a.responder());
        assertSameKeys(b.initiator(), b.responder());
        assertNull(a.kept(), "a resumed handshake issues no new ticket");
        assertNull(a.issued());
        assertFalse(Arrays.equals(a.initiator().initiatorToResponder().key(), b.initiator().initiatorToResponder().key()),
                "fresh nonces give fresh keys");
    }

    @Test
    void aTicketNotHeldIsRefusedSoTheInitiatorRetries() throws Exception {
        ResumptionTicket ticket = run(SessionHandshake.full(random), "i-1", HOUR).kept();
        SessionRefusedException otherInstance = assertThrows(SessionRefusedException.class,
                () -> run(SessionHandshake.resume(ticket, random), "i-2", HOUR));
        assertEquals(ResetCode.RESUMPTION_REFUSED, otherInstance.code);
        held.clear();
        SessionRefusedException forgotten = assertThrows(SessionRefusedException.class,
                () -> run(SessionHandshake.resume(ticket, random), "i-1", HOUR));
        assertEquals(ResetCode.RESUMPTION_REFUSED, forgotten.code);
    }

    @Test
    void aTicketResumesOnlyTheSkillItWasIssuedFor() throws Exception {
        ResumptionTicket ticket = run(SessionHandshake.full(random), "i-1", HOUR).kept();
        SessionHandshake other = SessionHandshake.resume(ticket, random);
        Setup setup = new Setup(0, 8, false, new SkillName("bank/payments/refunds"), "agent://a",
                Metadata.of(other.setupTlv()));
        SessionRefusedException e = assertThrows(SessionRefusedException.class,
                () -> SessionHandshake.respond(setup, IDENTITY, "i-1", lookup, HOUR, random));
        assertEquals(ResetCode.RESUMPTION_REFUSED, e.code);
    }

    @Test
    void aForgedOrAlteredResumeAckFails() throws Exception {
        ResumptionTicket ticket = run(SessionHandshake.full(random), "i-1", HOUR).kept();
        SessionHandshake initiator = SessionHandshake.resume(ticket, random);
        Setup setup = setup(initiator);
        SessionHandshake.Response r = SessionHandshake.respond(setup, IDENTITY, "i-1", lookup, HOUR, random);
        byte[] resumeAck = r.ackMetadata().first(TlvType.RESUME_ACK).orElseThrow().value().clone();
        for (int at : new int[] {0, 16, 47}) { // the nonce, the proof's first and last byte
            byte[] altered = resumeAck.clone();
            altered[at] ^= 1;
            SetupAck ack = new SetupAck(0, Metadata.of(new Tlv(TlvType.RESUME_ACK, altered),
                    Tlv.ofString(TlvType.SELECTED_INSTANCE, "i-1")));
            assertThrows(SessionAuthenticationException.class,
                    () -> initiator.complete(setup, ack, CA.certificate(), HOUR), "byte " + at);
        }
        SetupAck otherInstance = new SetupAck(0, Metadata.of(new Tlv(TlvType.RESUME_ACK, resumeAck),
                Tlv.ofString(TlvType.SELECTED_INSTANCE, "i-2")));
        assertThrows(SessionAuthenticationException.class,
                () -> initiator.complete(setup, otherInstance, CA.certificate(), HOUR));
        SetupAck full = new SetupAck(0, Metadata.of(Tlv.ofString(TlvType.SELECTED_INSTANCE, "i-1")));
        assertThrows(SessionAuthenticationException.class, () -> initiator.complete(setup, full, CA.certificate(), HOUR),
                "a resuming initiator needs RESUME_ACK");
    }

    @Test
    void aForwarderThatChangesTheInitiatorsNonceBreaksTheHandshake() throws Exception {
        ResumptionTicket ticket = run(SessionHandshake.full(random), "i-1", HOUR).kept();
        SessionHandshake initiator = SessionHandshake.resume(ticket, random);
        Setup sent = setup(initiator);
        List<Tlv> tlvs = new ArrayList<>();
        for (Tlv t : sent.metadata().tlvs()) {
            byte[] v = t.value().clone();
            if (t.type() == TlvType.RESUME) v[31] ^= 1;
            tlvs.add(new Tlv(t.type(), v));
        }
        Setup received = new Setup(0, sent.hopLimit(), false, SKILL, "agent://a", new Metadata(tlvs));
        SessionHandshake.Response r = SessionHandshake.respond(received, IDENTITY, "i-1", lookup, HOUR, random);
        assertThrows(SessionAuthenticationException.class,
                () -> initiator.complete(sent, new SetupAck(0, r.ackMetadata()), CA.certificate(), HOUR));
    }

    @Test
    void aSetupCarriesExactlyOneOfKeyShareAndResume() throws Exception {
        ResumptionTicket ticket = run(SessionHandshake.full(random), "i-1", HOUR).kept();
        Tlv share = SessionHandshake.full(random).setupTlv();
        Tlv resume = SessionHandshake.resume(ticket, random).setupTlv();
        for (Metadata m : List.of(Metadata.of(share, resume), Metadata.EMPTY,
                Metadata.of(new Tlv(TlvType.RESUME, new byte[31])))) {
            Setup setup = new Setup(0, 8, false, SKILL, "", m);
            assertThrows(SessionAuthenticationException.class,
                    () -> SessionHandshake.respond(setup, IDENTITY, "i-1", lookup, HOUR, random), m.toString());
        }
    }

    @Test
    void lifetimesComeFromBothEndsAndZeroOffersNothing() throws Exception {
        Outcome none = run(SessionHandshake.full(random), "i-1", Duration.ZERO);
        assertNull(none.issued());
        assertNull(none.kept());
        SessionHandshake initiator = SessionHandshake.full(random);
        Setup setup = setup(initiator);
        SessionHandshake.Response r = SessionHandshake.respond(setup, IDENTITY, "i-1", lookup, Duration.ofDays(30),
                random);
        assertTrue(r.issued().expiresAtNanos() - System.nanoTime() <= Duration.ofDays(1).toNanos(),
                "no ticket outlives the skill certificate");
        ResumptionTicket kept = initiator.complete(setup, new SetupAck(0, r.ackMetadata()), CA.certificate(),
                Duration.ofMinutes(5)).ticket();
        assertTrue(kept.expiresAtNanos() - System.nanoTime() <= Duration.ofMinutes(5).toNanos(),
                "the initiator's own cap applies");
        assertNull(initiator.complete(setup, new SetupAck(0, r.ackMetadata()), CA.certificate(), Duration.ZERO)
                .ticket(), "an initiator with resumption off keeps nothing");
    }
}
