package io.acip.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/**
 * Key pairs and the signature algorithm that goes with a key. Keys come from the JDK's own providers (SunEC), never
 * from a registered Bouncy Castle provider, so they encode as PKCS#8 / X.509 and work unchanged in the JDK's TLS,
 * Jetty, and Netty's BoringSSL (which reads {@code PrivateKey.getEncoded()} as PKCS#8).
 */
final class KeyPairs {
    static final SecureRandom RANDOM = new SecureRandom();

    private KeyPairs() {
    }

    /** A fresh EC P-256 pair: the one curve every TLS stack on the path (BoringSSL, JSSE, curl) handles. */
    static KeyPair p256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate EC P-256 keys", e);
        }
    }

    /** The JCA signature algorithm a CA holding {@code key} signs with; loaded CAs may be RSA or Ed25519. */
    static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported CA key algorithm " + key.getAlgorithm());
        };
    }

    /**
     * Whether {@code privateKey} is the private half of {@code publicKey}: a signature made with one verifies with
     * the other. Works for every algorithm without deriving public keys by hand.
     */
    static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        try {
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature signer = Signature.getInstance(signatureAlgorithm(privateKey));
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm(privateKey));
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // a key of another algorithm or curve than the certificate's cannot be its pair
        }
    }
}
