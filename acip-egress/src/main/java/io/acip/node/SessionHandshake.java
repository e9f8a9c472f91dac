package io.acip.node;

import io.acip.seal.KeyShare;
import io.acip.seal.SessionAuthenticationException;
import io.acip.seal.SessionKeys;
import io.acip.seal.SkillProof;
import io.acip.seal.Transcript;
import io.acip.wire.Metadata;
import io.acip.wire.Setup;
import io.acip.wire.SetupAck;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;

/**
 * The end-to-end key agreement of one session (docs/acip-v0.md §7): the initiator's share travels in SETUP, the
 * responder's with its skill certificate and proof in SETUP_ACK; both derive {@link SessionKeys} from the X25519
 * secret and the transcript.
 */
final class SessionHandshake {
    private final KeyShare share;

    private SessionHandshake(KeyShare share) {
        this.share = share;
    }

    static SessionHandshake generate(SecureRandom random) {
        return new SessionHandshake(KeyShare.generate(random));
    }

    Tlv keyShareTlv() {
        return new Tlv(TlvType.KEY_SHARE, share.publicKey());
    }

    /** What the responder answers with, and its keys. */
    record Response(Metadata ackMetadata, SessionKeys keys) {
    }

    Response respond(Setup setup, SkillIdentity identity, String instanceId)
            throws SessionAuthenticationException {
        byte[] initiatorShare = setup.metadata().first(TlvType.KEY_SHARE)
                .orElseThrow(() -> new SessionAuthenticationException("SETUP carries no key share"))
                .value();
        byte[] secret = share.agree(initiatorShare);
        byte[] certificate = der(identity.certificate());
        byte[] hash = new Transcript(setup.datagramMode(), setup.responder().value(), setup.initiator(),
                setup.metadata().endToEnd(), initiatorShare, share.publicKey(), certificate, instanceId).hash();
        Metadata ack = Metadata.of(
                new Tlv(TlvType.KEY_SHARE, share.publicKey()),
                Tlv.ofString(TlvType.SELECTED_INSTANCE, instanceId),
                new Tlv(TlvType.SKILL_CERTIFICATE, certificate),
                new Tlv(TlvType.SKILL_PROOF, SkillProof.sign(identity.key(), hash)));
        return new Response(ack, SessionKeys.derive(secret, hash));
    }

    /** The initiator checks the responder's answer to {@code setup} and derives the keys. */
    SessionKeys complete(Setup setup, SetupAck ack, X509Certificate fabricCa)
            throws SessionAuthenticationException {
        Metadata m = ack.metadata();
        byte[] responderShare = required(m, TlvType.KEY_SHARE, "key share");
        byte[] certificate = required(m, TlvType.SKILL_CERTIFICATE, "skill certificate");
        byte[] proof = required(m, TlvType.SKILL_PROOF, "skill proof");
        String instance = m.string(TlvType.SELECTED_INSTANCE).orElse("");
        byte[] hash = new Transcript(setup.datagramMode(), setup.responder().value(), setup.initiator(),
                setup.metadata().endToEnd(), share.publicKey(), responderShare, certificate, instance).hash();
        SkillProof.verify(certificate, proof, hash, setup.responder(), fabricCa);
        return SessionKeys.derive(share.agree(responderShare), hash);
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
