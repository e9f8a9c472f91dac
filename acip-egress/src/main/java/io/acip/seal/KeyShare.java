package io.acip.seal;

import java.security.SecureRandom;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/** An ephemeral X25519 key pair (RFC 7748), one per session end (docs/acip-v0.md §7.1). */
public final class KeyShare {
    public static final int LENGTH = 32;

    private final X25519PrivateKeyParameters privateKey;

    private KeyShare(X25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
    }

    public static KeyShare generate(SecureRandom random) {
        return new KeyShare(new X25519PrivateKeyParameters(random));
    }

    /** A fixed key pair, for test vectors only. */
    public static KeyShare fromPrivate(byte[] privateKey) {
        return new KeyShare(new X25519PrivateKeyParameters(privateKey, 0));
    }

    public byte[] publicKey() {
        return privateKey.generatePublicKey().getEncoded();
    }

    /**
     * The shared secret with the peer's share. An all-zero result means the peer sent a low-order point
     * (RFC 7748 §6.1), which would make the keys predictable; it is refused.
     */
    public byte[] agree(byte[] peerShare) throws SessionAuthenticationException {
        if (peerShare.length != LENGTH) throw new SessionAuthenticationException("key share is not 32 bytes");
        byte[] secret = new byte[LENGTH];
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(privateKey);
        try {
            agreement.calculateAgreement(new X25519PublicKeyParameters(peerShare, 0), secret, 0);
        } catch (IllegalStateException e) {
            throw new SessionAuthenticationException("key share is a low-order point");
        }
        int acc = 0;
        for (byte b : secret) acc |= b;
        if (acc == 0) throw new SessionAuthenticationException("key share is a low-order point");
        return secret;
    }
}
