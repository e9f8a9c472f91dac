package io.acip.wire;

/** Why a session was reset (docs/acip-v0.md §6). RESET travels back toward whoever must learn of it, like ICMP. */
public enum ResetCode {
    /** No route for the responder skill, or no instance reachable. */
    SKILL_UNREACHABLE(0x01),
    /** A route exists but the SETUP's policy (tenant, regions, attributes, latency) excludes every instance. */
    POLICY_DENIED(0x02),
    HOP_LIMIT_EXCEEDED(0x03),
    /** A node is out of labels, sessions or buffer for this session. */
    NO_CAPACITY(0x04),
    /** A sealed packet failed to open, a replay was detected, or the skill proof did not verify. */
    AUTHENTICATION_FAILED(0x05),
    /** Setup or idle timeout. */
    TIMEOUT(0x06),
    INTERNAL(0x07),
    /** The peer sent a packet this spec forbids. */
    PROTOCOL_VIOLATION(0x08),
    /** A must-understand TLV this node does not know. */
    UNSUPPORTED_TLV(0x09),
    /** The responder's agent refused or failed the session (its origin is down, for instance). */
    DESTINATION_UNAVAILABLE(0x0a),
    /** The link the session crossed went down. */
    LINK_DOWN(0x0b),
    /** The initiator or responder abandoned the session. */
    CANCELLED(0x0c),
    /**
     * The responder holds no resumption secret under the SETUP's ticket (expired, evicted, restarted, or another
     * instance): the initiator retries with a full handshake (§7.5).
     */
    RESUMPTION_REFUSED(0x0d),
    /**
     * The responder's instance takes no sessions of the SETUP's PAYLOAD_PROTOCOL (a {@code bytes} session to a skill
     * that declares no byte tunnels): distinct from {@link #POLICY_DENIED}, so an edge may intercept on this alone.
     */
    PAYLOAD_PROTOCOL_REFUSED(0x0e);

    public final int code;

    ResetCode(int code) {
        this.code = code;
    }

    /** The code for a wire value; codes v0 does not define read as {@link #INTERNAL} rather than failing. */
    public static ResetCode of(long code) {
        for (ResetCode c : values()) if (c.code == code) return c;
        return INTERNAL;
    }

    /** Lowercase wire-style name, for logs, metrics and HTTP error details. */
    public String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
