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
    // The HkdfLabel of every value, encoded once (a handshake per HTTP exchange expands seven of them).
    private static final byte[] I2R_KEY = label("i2r key", SessionKeys.KEY_LENGTH);
    private static final byte[] I2R_IV = label("i2r iv", SessionKeys.IV_LENGTH);
    private static final byte[] R2I_KEY = label("r2i key", SessionKeys.KEY_LENGTH);
    private static final byte[] R2I_IV = label("r2i iv", SessionKeys.IV_LENGTH);
    private static final byte[] TICKET_ID = label("ticket id", TICKET_ID_LENGTH);
    private static final byte[] RESUMPTION = label("resumption", SECRET_LENGTH);
    private static final byte[] RESUME_PROOF = label("resume proof", PROOF_LENGTH);

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
        return new SessionKeys(
                new PacketProtection.Keys(prk.expand(I2R_KEY, SessionKeys.KEY_LENGTH), prk.expand(I2R_IV, SessionKeys.IV_LENGTH)),
                new PacketProtection.Keys(prk.expand(R2I_KEY, SessionKeys.KEY_LENGTH), prk.expand(R2I_IV, SessionKeys.IV_LENGTH)));
    }

    /** Names the resumption secret in a later SETUP (§7.5): {@code HKDF-Expand-Label(PRK, "ticket id", "", 16)}. */
    public byte[] ticketId() {
        return prk.expand(TICKET_ID, TICKET_ID_LENGTH);
    }

    /** The input secret of later resumed handshakes: {@code HKDF-Expand-Label(PRK, "resumption", "", 32)}. */
    public byte[] resumptionSecret() {
        return prk.expand(RESUMPTION, SECRET_LENGTH);
    }

    /** A resuming responder's proof that it holds the secret: {@code HKDF-Expand-Label(PRK, "resume proof", "", 32)}. */
    public byte[] resumeProof() {
        return prk.expand(RESUME_PROOF, PROOF_LENGTH);
    }

    private static byte[] label(String label, int length) {
        return Hkdf.hkdfLabel(Hkdf.ACIP_LABEL_PREFIX, label, NO_CONTEXT, length);
    }
}
