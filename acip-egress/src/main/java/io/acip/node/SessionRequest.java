package io.acip.node;

import io.acip.seal.InitiatorAttestation;
import io.acip.wire.Limits;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import java.util.List;

/**
 * What an initiator asks for: a skill, who it is, the session mode, and metadata (policy TLVs, traceparent, tenant).
 *
 * @param attestation when not null, the node vouches for {@code initiator} and these groups with an
 *     INITIATOR_ATTESTATION (docs/acip-v0.md §7.6): the caller has authenticated the initiator
 */
public record SessionRequest(SkillName skill, String initiator, boolean datagramMode, List<Tlv> metadata,
                             int hopLimit, Attestation attestation) {
    /** The initiator's groups, for the node to attest along with its identity. */
    public record Attestation(List<String> groups) {
        public Attestation {
            groups = List.copyOf(groups);
            String problem = InitiatorAttestation.groupsProblem(groups);
            if (problem != null) throw new IllegalArgumentException(problem);
        }
    }

    /** TLVs an application may add: the limit less the key share and a full trajectory. */
    public static final int MAX_TLVS = Limits.MAX_TLVS - 1 - Limits.MAX_TRAJECTORY;
    /** Metadata bytes an application may add: half the limit, the rest is for the key share and trajectory. */
    public static final int MAX_METADATA_BYTES = Limits.MAX_METADATA / 2;

    public SessionRequest {
        metadata = List.copyOf(metadata);
        if (hopLimit < 1 || hopLimit > 255) throw new IllegalArgumentException("hop limit " + hopLimit + " outside 1..255");
        if (initiator.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Limits.MAX_NAME) {
            throw new IllegalArgumentException("initiator identity longer than " + Limits.MAX_NAME + " bytes");
        }
        // Room is left for the key share and a full trajectory, so no node on a long path refuses the SETUP as too big.
        if (metadata.size() > MAX_TLVS) throw new IllegalArgumentException("more than " + MAX_TLVS + " TLVs");
        int bytes = 0;
        for (Tlv t : metadata) {
            if (t.type() == TlvType.KEY_SHARE || t.type() == TlvType.TRAJECTORY || t.type() == TlvType.RESUME
                    || t.type() == TlvType.INITIATOR_ATTESTATION) {
                throw new IllegalArgumentException("TLV 0x" + Long.toHexString(t.type()) + " is the node's to add");
            }
            bytes += t.value().length + 16;
        }
        if (bytes > MAX_METADATA_BYTES) throw new IllegalArgumentException("metadata over " + MAX_METADATA_BYTES + " bytes");
        if (attestation != null) {
            String problem = InitiatorAttestation.identityProblem(initiator);
            if (problem != null) throw new IllegalArgumentException(problem);
        }
    }

    /** Unattested. */
    public SessionRequest(SkillName skill, String initiator, boolean datagramMode, List<Tlv> metadata, int hopLimit) {
        this(skill, initiator, datagramMode, metadata, hopLimit, null);
    }

    /** The node attests {@code initiator} (which the caller authenticated) with {@code groups}. */
    public SessionRequest attested(List<String> groups) {
        return new SessionRequest(skill, initiator, datagramMode, metadata, hopLimit, new Attestation(groups));
    }

    public static SessionRequest stream(SkillName skill, String initiator, Tlv... metadata) {
        return new SessionRequest(skill, initiator, false, List.of(metadata), Limits.DEFAULT_HOP_LIMIT);
    }

    public static SessionRequest datagram(SkillName skill, String initiator, Tlv... metadata) {
        return new SessionRequest(skill, initiator, true, List.of(metadata), Limits.DEFAULT_HOP_LIMIT);
    }

    public SessionRequest withHopLimit(int limit) {
        return new SessionRequest(skill, initiator, datagramMode, metadata, limit, attestation);
    }
}
