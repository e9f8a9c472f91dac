package io.acip.seal;

/**
 * The key schedule (docs/acip-v0.md §7.2): PRK = HKDF-Extract(transcript hash, X25519 secret); per direction an
 * AES-128-GCM key and a 12-byte IV from HKDF-Expand-Label with the "acip " prefix. {@code i2r} protects what the
 * initiator sends, {@code r2i} what the responder sends.
 */
public record SessionKeys(PacketProtection.Keys initiatorToResponder, PacketProtection.Keys responderToInitiator) {
    public static final int KEY_LENGTH = 16;
    public static final int IV_LENGTH = 12;

    public static SessionKeys derive(byte[] sharedSecret, byte[] transcriptHash) {
        return KeySchedule.of(sharedSecret, transcriptHash).sessionKeys();
    }

    /** The protection this end seals with. */
    public PacketProtection sender(boolean initiator) {
        return new PacketProtection(initiator ? initiatorToResponder : responderToInitiator);
    }

    /** The protection this end opens the peer's packets with. */
    public PacketProtection receiver(boolean initiator) {
        return new PacketProtection(initiator ? responderToInitiator : initiatorToResponder);
    }
}
