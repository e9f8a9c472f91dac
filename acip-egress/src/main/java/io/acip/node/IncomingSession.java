package io.acip.node;

import io.acip.routing.SessionPolicy;
import io.acip.wire.Metadata;
import io.acip.wire.SkillName;
import java.util.List;

/**
 * What a responder learns from a SETUP before accepting it.
 *
 * @param trajectory nodes the SETUP crossed, initiator's node first, this node last
 */
public record IncomingSession(SkillName responder, String initiator, boolean datagramMode, SessionPolicy policy,
                              Metadata metadata, List<String> trajectory, String instanceId) {
}
