package io.acip.node;

import io.acip.seal.KeySchedule;
import io.acip.seal.KeyShare;
import io.acip.seal.ResumptionTicket;
import io.acip.seal.SessionAuthenticationException;
import io.acip.seal.SessionKeys;
import io.acip.seal.SkillProof;
import io.acip.seal.Transcript;
import io.acip.wire.MalformedPacketException;
import io.acip.wire.Metadata;
import io.acip.wire.ResetCode;
import io.acip.wire.Setup;
import io.acip.wire.SetupAck;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One end's part in a session handshake (docs/acip-v0.md §7): a full one (X25519 key shares, skill proof by
 * certificate) or a resumed one (a resumption secret from an earlier full handshake and a fresh nonce from each end,
 * §7.5), which costs two hashes instead of two key agreements and two signature operations.
 */
final class SessionHandshake {
    static final int NONCE_LENGTH = 16;
    private static final byte[] NO_CERTIFICATE = new byte[0];

    private final KeyShare share; // a full handshake's key share, null when resuming
    private final ResumptionTicket ticket; // what the initiator resumes under, null for a full handshake
    private final byte[] nonce; // the resuming initiator's nonce

    private SessionHandshake(KeyShare share, ResumptionTicket ticket, byte[] nonce) {
        this.share = share;
        this.ticket = ticket;
        this.nonce = nonce;
    }

    static SessionHandshake full(SecureRandom random) {
        return new SessionHandshake(KeyShare.generate(random), null, null);
    }

    static SessionHandshake resume(ResumptionTicket ticket, SecureRandom random) {
        return new SessionHandshake(null, ticket, nonce(random));
    }

    /** The ticket this initiator resumes under, or null for a full handshake. */
    ResumptionTicket ticket() {
        return ticket;
    }

    /** What the initiator's SETUP carries: its KEY_SHARE, or RESUME with the ticket ID and its nonce. */
    Tlv setupTlv() {
        return ticket == null ? new Tlv(TlvType.KEY_SHARE, share.publicKey())
                : new Tlv(TlvType.RESUME, concat(ticket.id(), nonce));
    }

    /** What the responder answers with, its keys, and the ticket it now holds for later resumption (or null). */
    record Response(Metadata ackMetadata, SessionKeys keys, ResumptionTicket issued) {
    }

    /**
     * The responder's part. {@code tickets} looks up a held ticket by ID; {@code lifetime} is how long to hold a new
     * one (zero offers none).
     *
     * @throws SessionRefusedException with {@code resumption_refused} when the SETUP resumes a ticket not held here
     */
    static Response respond(Setup setup, SkillIdentity identity, String instanceId,
                            Function<byte[], ResumptionTicket> tickets, Duration lifetime, SecureRandom random)
            throws SessionAuthenticationException, SessionRefusedException {
        Optional<Tlv> resume = setup.metadata().first(TlvType.RESUME);
        Optional<Tlv> keyShare = setup.metadata().first(TlvType.KEY_SHARE);
        if (resume.isPresent() == keyShare.isPresent()) {
            throw new SessionAuthenticationException("SETUP must carry exactly one of KEY_SHARE and RESUME");
        }
        return resume.isPresent()
                ? respondResumed(setup, resume.get().value(), instanceId, tickets, random)
                : respondFull(setup, keyShare.get().value(), identity, instanceId, lifetime, random);
    }

    private static Response respondFull(Setup setup, byte[] initiatorShare, SkillIdentity identity, String instanceId,
                                        Duration lifetime, SecureRandom random)
            throws SessionAuthenticationException {
        KeyShare share = KeyShare.generate(random);
        byte[] secret = share.agree(initiatorShare);
        byte[] certificate = der(identity.certificate());
        byte[] hash = transcript(setup, initiatorShare, share.publicKey(), certificate, instanceId);
        KeySchedule schedule = KeySchedule.of(secret, hash);
        List<Tlv> ack = new ArrayList<>(List.of(
                new Tlv(TlvType.KEY_SHARE, share.publicKey()),
                Tlv.ofString(TlvType.SELECTED_INSTANCE, instanceId),
                new Tlv(TlvType.SKILL_CERTIFICATE, certificate),
                new Tlv(TlvType.SKILL_PROOF, SkillProof.sign(identity.key(), hash))));
        long seconds = Math.min(lifetime.toSeconds(), secondsLeft(identity.certificate()));
        ResumptionTicket issued = null;
        if (seconds > 0) {
            ack.add(Tlv.ofVarInt(TlvType.RESUMPTION_OFFER, seconds));
            issued = ticket(schedule, setup.responder().value(), instanceId, seconds);
        }
        return new Response(new Metadata(ack), schedule.sessionKeys(), issued);
    }

    private static Response respondResumed(Setup setup, byte[] resume, String instanceId,
                                           Function<byte[], ResumptionTicket> tickets, SecureRandom random)
            throws SessionAuthenticationException, SessionRefusedException {
        if (resume.length != KeySchedule.TICKET_ID_LENGTH + NONCE_LENGTH) {
            throw new SessionAuthenticationException("RESUME is not " + (KeySchedule.TICKET_ID_LENGTH + NONCE_LENGTH)
                    + " bytes");
        }
        ResumptionTicket held = tickets.apply(Arrays.copyOf(resume, KeySchedule.TICKET_ID_LENGTH));
        if (held == null || !held.instance().equals(instanceId) || !held.skill().equals(setup.responder().value())) {
            throw new SessionRefusedException(ResetCode.RESUMPTION_REFUSED,
                    "instance " + instanceId + " holds no resumption secret under this ticket");
        }
        byte[] initiatorNonce = Arrays.copyOfRange(resume, KeySchedule.TICKET_ID_LENGTH, resume.length);
        byte[] responderNonce = nonce(random);
        KeySchedule schedule = KeySchedule.of(held.secret(),
                transcript(setup, initiatorNonce, responderNonce, NO_CERTIFICATE, instanceId));
        Metadata ack = Metadata.of(
                new Tlv(TlvType.RESUME_ACK, concat(responderNonce, schedule.resumeProof())),
                Tlv.ofString(TlvType.SELECTED_INSTANCE, instanceId));
        return new Response(ack, schedule.sessionKeys(), null);
    }

    /** The initiator's keys, and the ticket to resume later sessions with (null when none was offered). */
    record Completion(SessionKeys keys, ResumptionTicket ticket) {
    }

    /**
     * The initiator checks the responder's answer to {@code setup} and derives the keys; {@code maxLifetime} caps how
     * long it keeps a ticket the responder offered.
     */
    Completion complete(Setup setup, SetupAck ack, X509Certificate fabricCa, Duration maxLifetime)
            throws SessionAuthenticationException {
        Metadata m = ack.metadata();
        String instance = m.string(TlvType.SELECTED_INSTANCE).orElse("");
        if (ticket != null) {
            byte[] resumeAck = required(m, TlvType.RESUME_ACK, "resumption answer");
            if (resumeAck.length != NONCE_LENGTH + KeySchedule.PROOF_LENGTH) {
                throw new SessionAuthenticationException("RESUME_ACK is not " + (NONCE_LENGTH + KeySchedule.PROOF_LENGTH)
                        + " bytes");
            }
            byte[] responderNonce = Arrays.copyOf(resumeAck, NONCE_LENGTH);
            KeySchedule schedule = KeySchedule.of(ticket.secret(),
                    transcript(setup, nonce, responderNonce, NO_CERTIFICATE, instance));
            byte[] proof = Arrays.copyOfRange(resumeAck, NONCE_LENGTH, resumeAck.length);
            if (!MessageDigest.isEqual(proof, schedule.resumeProof()) || !instance.equals(ticket.instance())) {
                throw new SessionAuthenticationException("resume proof invalid");
            }
            return new Completion(schedule.sessionKeys(), null);
        }
        byte[] responderShare = required(m, TlvType.KEY_SHARE, "key share");
        byte[] certificate = required(m, TlvType.SKILL_CERTIFICATE, "skill certificate");
        byte[] proof = required(m, TlvType.SKILL_PROOF, "skill proof");
        byte[] hash = transcript(setup, share.publicKey(), responderShare, certificate, instance);
        X509Certificate proven = SkillProof.verify(certificate, proof, hash, setup.responder(), fabricCa);
        KeySchedule schedule = KeySchedule.of(share.agree(responderShare), hash);
        long offered = 0;
        Optional<Tlv> offer = m.first(TlvType.RESUMPTION_OFFER);
        if (offer.isPresent()) {
            try {
                offered = offer.get().varInt();
            } catch (MalformedPacketException e) {
                throw new SessionAuthenticationException("RESUMPTION_OFFER is not a varint");
            }
        }
        long seconds = Math.min(Math.min(offered, maxLifetime.toSeconds()), secondsLeft(proven));
        ResumptionTicket kept = seconds > 0 ? ticket(schedule, setup.responder().value(), instance, seconds) : null;
        return new Completion(schedule.sessionKeys(), kept);
    }

    private static byte[] transcript(Setup setup, byte[] initiatorPart, byte[] responderPart, byte[] certificate,
                                     String instance) {
        return new Transcript(setup.datagramMode(), setup.responder().value(), setup.initiator(),
                setup.metadata().endToEnd(), initiatorPart, responderPart, certificate, instance).hash();
    }

    private static ResumptionTicket ticket(KeySchedule schedule, String skill, String instance, long seconds) {
        return new ResumptionTicket(schedule.ticketId(), schedule.resumptionSecret(), skill, instance,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
    }

    /** Whole seconds until the certificate expires: no ticket outlives the proof it stands for. */
    private static long secondsLeft(X509Certificate certificate) {
        return Math.max(0, (certificate.getNotAfter().getTime() - System.currentTimeMillis()) / 1000);
    }

    private static byte[] nonce(SecureRandom random) {
        byte[] n = new byte[NONCE_LENGTH];
        random.nextBytes(n);
        return n;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] required(Metadata m, long type, String what) throws SessionAuthenticationException {
        return m.first(type).orElseThrow(() -> new SessionAuthenticationException("SETUP_ACK carries no " + what)).value();
    }

    private static byte[] der(X509Certificate c) throws SessionAuthenticationException {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new SessionAuthenticationException("skill certificate cannot be encoded: " + e.getMessage());
        }
    }
}
