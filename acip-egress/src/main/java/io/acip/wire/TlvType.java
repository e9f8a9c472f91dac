package io.acip.wire;

/**
 * The v0 TLV registry (docs/acip-v0.md §4). An odd type is must-understand: a node that must act on the packet and
 * does not know the type refuses the session (RESET unsupported_tlv); an even type it does not know is carried on
 * unchanged.
 */
public final class TlvType {
    /** Tenant (instance ID): the isolated skill namespace routes are looked up in. Varint. */
    public static final long TENANT = 0x01;
    /** X25519 key share, 32 bytes (SETUP: initiator's, SETUP_ACK: responder's). */
    public static final long KEY_SHARE = 0x02;
    /** Allowed regions: UTF-8, comma-separated region names; only instances in one of them may serve. */
    public static final long ALLOWED_REGIONS = 0x03;
    /** W3C trace context {@code traceparent}, UTF-8. */
    public static final long TRACEPARENT = 0x04;
    /** Required instance attributes: UTF-8, comma-separated {@code key=value}. */
    public static final long REQUIRED_ATTRIBUTES = 0x05;
    /** Trajectory: UTF-8 node ID; every node that forwards a SETUP or SETUP_ACK appends one. */
    public static final long TRAJECTORY = 0x06;
    /** Maximum latency the initiator accepts, milliseconds, varint. */
    public static final long MAX_LATENCY_MS = 0x07;
    /**
     * What the sealed payload carries, UTF-8 token: {@code bhttp} (Binary HTTP, RFC 9292, indeterminate length, one
     * exchange), {@code bytes} (an opaque byte stream, e.g. a CONNECT tunnel) or {@code udp} (one UDP payload per
     * DGRAM). Must be understood: a responder that delivered the payload as the wrong thing would corrupt it.
     */
    public static final long PAYLOAD_PROTOCOL = 0x09;
    /** Selected instance ID, UTF-8 (SETUP_ACK): which instance serves the session. */
    public static final long SELECTED_INSTANCE = 0x08;
    /** Affinity key, opaque: sessions with the same key reach the same instance while it stays eligible. */
    public static final long AFFINITY_KEY = 0x0a;
    /**
     * Resumption (SETUP, §7.5): ticket ID (16 bytes) then the initiator's nonce (16 bytes), instead of a KEY_SHARE.
     * Must be understood: a responder that ignored it would find no key share.
     */
    public static final long RESUME = 0x0b;
    /** Responder's skill certificate, DER (SETUP_ACK). */
    public static final long SKILL_CERTIFICATE = 0x0c;
    /** Responder's signature over the transcript with the skill certificate's key (SETUP_ACK). */
    public static final long SKILL_PROOF = 0x0e;
    /** Resumption accepted (SETUP_ACK, §7.5): the responder's nonce (16 bytes) then its resume proof (32 bytes). */
    public static final long RESUME_ACK = 0x10;
    /** Resumption offered (SETUP_ACK of a full handshake, §7.5): how long the ticket is held, seconds, varint. */
    public static final long RESUMPTION_OFFER = 0x12;
    /**
     * Initiator attestation (SETUP, §7.6): the initiator's node vouches for I and the initiator's groups with its node
     * key, over the session's handshake contribution. May be ignored: a responder that does not know it treats the
     * initiator as unattested, which is all it could do before.
     */
    public static final long INITIATOR_ATTESTATION = 0x14;
    /**
     * Exchanges in a session (§13): empty in SETUP, the initiator offers to carry a sequence of HTTP exchanges; a
     * varint in SETUP_ACK, the responder accepts and keeps the session that many milliseconds between exchanges.
     */
    public static final long EXCHANGES = 0x16;

    private TlvType() {
    }

    public static boolean mustUnderstand(long type) {
        return (type & 1) == 1;
    }

    /** Whether v0 defines the type. */
    public static boolean known(long type) {
        return type >= TENANT && type <= RESUME || type == SKILL_CERTIFICATE || type == SKILL_PROOF
                || type == RESUME_ACK || type == RESUMPTION_OFFER
                || type == INITIATOR_ATTESTATION || type == EXCHANGES;
    }
}
