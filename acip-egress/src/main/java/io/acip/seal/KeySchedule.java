package io.acip.seal;

import io.acip.tls.hkdf.Hkdf;

/**
 * The key schedule of one handshake (docs/acip-v0.md §7.2 and §7.5): a pseudorandom key extracted from the
 * handshake's input secret (the X25519 shared secret, or a resumption secret) under the transcript hash, and what is
 * expanded from it.
 */
public final class KeySchedule {
    public static final int TICKET_ID_LENGTH = 16;
    public static final int SECRET_LENGTH = 32;
    public static final int PROOF_LENGTH = 32;
    private static final byte[] NO_CONTEXT = new byte[0];

    private final Hkdf.Expander prk;

    private KeySchedule(byte[] prk) {
        this.prk = Hkdf.expander(prk);
    }

    /** {@code PRK = HKDF-Extract(salt = transcript_hash, IKM = inputSecret)}. */
    public static KeySchedule of(byte[] inputSecret, byte[] transcriptHash) {
        return new KeySchedule(Hkdf.extract(transcriptHash, inputSecret));
    }

    /** The four packet protection keys and IVs. */
    public SessionKeys sessionKeys() {
        return new SessionKeys(direction("i2r"), direction("r2i"));
    }

    /** Names the resumption secret in a later SETUP (§7.5): {@code HKDF-Expand-Label(PRK, "ticket id", "", 16)}. */
    public byte[] ticketId() {
        return prk.expandLabel("ticket id", NO_CONTEXT, TICKET_ID_LENGTH);
    }

    /** The input secret of later resumed handshakes: {@code HKDF-Expand-Label(PRK, "resumption", "", 32)}. */
    public byte[] resumptionSecret() {
        return prk.expandLabel("resumption", NO_CONTEXT, SECRET_LENGTH);
    }

    /** A resuming responder's proof that it holds the secret: {@code HKDF-Expand-Label(PRK, "resume proof", "", 32)}. */
    public byte[] resumeProof() {
        return prk.expandLabel("resume proof", NO_CONTEXT, PROOF_LENGTH);
    }

    private PacketProtection.Keys direction(String dir) {
        return new PacketProtection.Keys(
                prk.expandLabel(dir + " key", NO_CONTEXT, SessionKeys.KEY_LENGTH),
                prk.expandLabel(dir + " iv", NO_CONTEXT, SessionKeys.IV_LENGTH));
    }
}
