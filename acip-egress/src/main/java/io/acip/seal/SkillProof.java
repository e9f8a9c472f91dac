package io.acip.seal;

import io.acip.tls.identity.CertificateIdentities;
import io.acip.wire.SkillName;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;

/**
 * The responder's proof that it owns the skill (docs/acip-v0.md §7.4): a signature with its skill certificate's key
 * over the context string and the transcript hash. The initiator checks the certificate chains to the fabric CA,
 * names a skill that covers the requested one, and signed this very handshake.
 */
public final class SkillProof {
    private static final byte[] CONTEXT = "acip/0 skill proof".getBytes(StandardCharsets.US_ASCII);

    private SkillProof() {
    }

    public static byte[] sign(PrivateKey skillKey, byte[] transcriptHash) {
        try {
            Signature s = Signature.getInstance(algorithm(skillKey.getAlgorithm()));
            s.initSign(skillKey);
            s.update(CONTEXT);
            s.update(transcriptHash);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the skill key", e);
        }
    }

    /** Returns the verified certificate; throws if any check fails. */
    public static X509Certificate verify(byte[] certificateDer, byte[] signature, byte[] transcriptHash,
                                         SkillName requested, X509Certificate fabricCa)
            throws SessionAuthenticationException {
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificateDer));
            CertificateIdentities.verifyChain(new X509Certificate[] {cert, fabricCa}, fabricCa);
        } catch (CertificateException | RuntimeException e) {
            throw new SessionAuthenticationException("skill certificate refused: " + e.getMessage());
        }
        boolean covers = CertificateIdentities.skillNames(cert).stream()
                .anyMatch(name -> SkillName.isValid(name) && requested.isUnder(new SkillName(name)));
        if (!covers) {
            throw new SessionAuthenticationException("skill certificate does not name " + requested);
        }
        try {
            Signature s = Signature.getInstance(algorithm(cert.getPublicKey().getAlgorithm()));
            s.initVerify(cert.getPublicKey());
            s.update(CONTEXT);
            s.update(transcriptHash);
            if (!s.verify(signature)) throw new SessionAuthenticationException("skill proof signature invalid");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SessionAuthenticationException("skill proof unverifiable: " + e.getMessage());
        }
        return cert;
    }

    private static String algorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> "SHA256withRSA";
        };
    }
}
