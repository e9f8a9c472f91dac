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
        if (hopLimit < 1 || hopLimit > 255) throw new IllegalArgumentException("hop limit " + hopLimit + " outside 1..255");
        if (initiator.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Limits.MAX_NAME) {
            throw new IllegalArgumentException("initiator identity longer than " + Limits.MAX_NAME + " bytes");
        }
        if (metadata.size() > Limits.MAX_TLVS / 2) throw new IllegalArgumentException("more than " + Limits.MAX_TLVS / 2 + " TLVs");
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
