package io.acip.node;

import io.acip.routing.SessionPolicy;
import io.acip.seal.AttestedInitiator;
import io.acip.wire.Metadata;
import io.acip.wire.SkillName;
import java.util.List;
import java.util.Optional;

/**
 * What a responder learns from a SETUP before accepting it.
 *
 * @param trajectory nodes the SETUP crossed, initiator's node first, this node last
 * @param attested who a node of the fabric vouched the initiator is (docs/acip-v0.md §7.6), verified by this node;
 *     empty for an unattested initiator, whose {@code initiator} is only a claim
 */
public record IncomingSession(SkillName responder, String initiator, boolean datagramMode, SessionPolicy policy,
                              Metadata metadata, List<String> trajectory, String instanceId,
                              Optional<AttestedInitiator> attested) {
    /** Unattested. */
    public IncomingSession(SkillName responder, String initiator, boolean datagramMode, SessionPolicy policy,
                           Metadata metadata, List<String> trajectory, String instanceId) {
        this(responder, initiator, datagramMode, policy, metadata, trajectory, instanceId, Optional.empty());
    }
}
