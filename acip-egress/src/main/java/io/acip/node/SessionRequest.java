package io.acip.node;

import io.acip.wire.Limits;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import java.util.List;

/**
 * What an initiator asks for: a skill, who it is, the session mode, and metadata (policy TLVs, traceparent, tenant).
 */
public record SessionRequest(SkillName skill, String initiator, boolean datagramMode, List<Tlv> metadata,
                             int hopLimit) {
    public SessionRequest {
        metadata = List.copyOf(metadata);
    }

    public static SessionRequest stream(SkillName skill, String initiator, Tlv... metadata) {
        return new SessionRequest(skill, initiator, false, List.of(metadata), Limits.DEFAULT_HOP_LIMIT);
    }

    public static SessionRequest datagram(SkillName skill, String initiator, Tlv... metadata) {
        return new SessionRequest(skill, initiator, true, List.of(metadata), Limits.DEFAULT_HOP_LIMIT);
    }

    public SessionRequest withHopLimit(int limit) {
        return new SessionRequest(skill, initiator, datagramMode, metadata, limit);
    }
}
