package io.acip.node;

import io.acip.seal.AttestedInitiator;
import io.acip.seal.InitiatorAttestation;
import io.acip.seal.SessionAuthenticationException;
import io.acip.wire.Metadata;
import io.acip.wire.Setup;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import java.time.Instant;
import java.util.Optional;

/**
 * Where a node adds and checks initiator attestations (docs/acip-v0.md §7.6): the initiator's node signs once its
 * SETUP leaves for a neighbour (a session delivered on this node needs none: the node trusts itself); the responder's
 * node verifies before any local instance sees the session.
 */
final class SetupAttestation {
    private SetupAttestation() {
    }

    /**
     * {@code setup} with its initiator's attestation added, when {@code upstream} is an initiator on this node that asked
     * for one and the SETUP does not carry it yet; else {@code setup} itself.
     */
    static Setup leaving(Node node, Leg upstream, Setup setup, long tenant) {
        if (!(upstream instanceof Session s) || s.request.attestation() == null
                || setup.metadata().first(TlvType.INITIATOR_ATTESTATION).isPresent()) {
            return setup;
        }
        InitiatorAttestation a = node.attestationSigner.sign(setup.responder().value(), tenant, setup.initiator(),
                s.request.attestation().groups(), contribution(setup.metadata()));
        Setup signed = new Setup(setup.label(), setup.hopLimit(), setup.datagramMode(), setup.responder(),
                setup.initiator(), setup.metadata().with(new Tlv(TlvType.INITIATOR_ATTESTATION, a.encode())));
        s.setupSent = signed; // the initiator's transcript hashes the SETUP as it left
        node.stats.inc("acip.attestation.signed");
        return signed;
    }

    /**
     * Who the initiator of a SETUP about to be delivered here is, as far as a node vouches for it; empty when unattested.
     *
     * @throws SessionAuthenticationException the attestation is invalid, or missing where this node requires one
     */
    static Optional<AttestedInitiator> arriving(Node node, Leg upstream, Setup setup, long tenant)
            throws SessionAuthenticationException {
        Optional<AttestedInitiator> attested;
        if (upstream instanceof Session s) {
            attested = s.request.attestation() == null ? Optional.empty() : Optional.of(new AttestedInitiator(
                    s.request.initiator(), s.request.attestation().groups(), node.nodeId()));
        } else {
            Optional<Tlv> tlv = setup.metadata().first(TlvType.INITIATOR_ATTESTATION);
            attested = tlv.isEmpty() ? Optional.empty() : Optional.of(node.attestationVerifier.verify(tlv.get().value(),
                    setup.responder().value(), tenant, setup.initiator(), contribution(setup.metadata()),
                    Instant.now()));
            if (attested.isPresent()) node.stats.inc("acip.attestation.verified");
        }
        if (attested.isEmpty() && node.config.requireAttestation()) {
            throw new SessionAuthenticationException("node " + node.nodeId()
                    + " requires an initiator attestation and the SETUP carries none");
        }
        return attested;
    }

    /** The initiator's handshake contribution: its KEY_SHARE value, or its RESUME value when it resumes. */
    private static byte[] contribution(Metadata m) {
        return m.first(TlvType.KEY_SHARE).or(() -> m.first(TlvType.RESUME)).map(Tlv::value).orElse(new byte[0]);
    }
}
