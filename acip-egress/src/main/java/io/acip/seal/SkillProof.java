package io.acip.seal;

import io.acip.tls.identity.CertificateIdentities;
import io.acip.wire.SkillName;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;

/**
 * The responder's proof that it owns the skill (docs/acip-v0.md §7.4): a signature with its skill certificate's key
 * over the context string and the transcript hash. The initiator checks the certificate chains to the fabric CA,
 * names a skill that covers the requested one, and signed this very handshake.
 *
 * <p>Every session pays one sign and one verify, so EC keys go through Bouncy Castle's ECDSA (deterministic nonces,
 * RFC 6979), about six times faster than the JDK 17 provider for P-256; the signature is the same SHA256withECDSA
 * DER on the wire. Certificates already verified against the CA are remembered ({@link VerifiedCertificates}).
 */
public final class SkillProof {
    private static final byte[] CONTEXT = "acip/0 skill proof".getBytes(StandardCharsets.US_ASCII);

    private SkillProof() {
    }

    public static byte[] sign(PrivateKey skillKey, byte[] transcriptHash) {
        try {
            if (skillKey.getAlgorithm().equals("EC")) {
                ECPrivateKeyParameters key = (ECPrivateKeyParameters) ECUtil.generatePrivateKeyParameter(skillKey);
                ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
                signer.init(true, key);
                BigInteger[] rs = signer.generateSignature(digest(transcriptHash));
                return StandardDSAEncoding.INSTANCE.encode(key.getParameters().getN(), rs[0], rs[1]);
            }
            Signature s = Signature.getInstance(algorithm(skillKey.getAlgorithm()));
            s.initSign(skillKey);
            s.update(CONTEXT);
            s.update(transcriptHash);
            return s.sign();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot sign with the skill key", e);
        }
    }

    /** Returns the verified certificate; throws if any check fails. */
    public static X509Certificate verify(byte[] certificateDer, byte[] signature, byte[] transcriptHash,
                                         SkillName requested, X509Certificate fabricCa)
            throws SessionAuthenticationException {
        X509Certificate cert = VerifiedCertificates.get(certificateDer, fabricCa);
        if (cert == null) {
            try {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(certificateDer));
                CertificateIdentities.verifyChain(new X509Certificate[] {cert, fabricCa}, fabricCa);
            } catch (CertificateException | RuntimeException e) {
                throw new SessionAuthenticationException("skill certificate refused: " + e.getMessage());
            }
            VerifiedCertificates.put(certificateDer, fabricCa, cert);
        }
        boolean covers = CertificateIdentities.skillNames(cert).stream()
                .anyMatch(name -> SkillName.isValid(name) && requested.isUnder(new SkillName(name)));
        if (!covers) {
            throw new SessionAuthenticationException("skill certificate does not name " + requested);
        }
        if (!signatureValid(cert.getPublicKey(), signature, transcriptHash)) {
            throw new SessionAuthenticationException("skill proof signature invalid");
        }
        return cert;
    }

    private static boolean signatureValid(PublicKey key, byte[] signature, byte[] transcriptHash)
            throws SessionAuthenticationException {
        try {
            if (key.getAlgorithm().equals("EC")) {
                ECPublicKeyParameters pub = (ECPublicKeyParameters) ECUtil.generatePublicKeyParameter(key);
                BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(pub.getParameters().getN(), signature);
                ECDSASigner verifier = new ECDSASigner();
                verifier.init(false, pub);
                return verifier.verifySignature(digest(transcriptHash), rs[0], rs[1]);
            }
            Signature s = Signature.getInstance(algorithm(key.getAlgorithm()));
            s.initVerify(key);
            s.update(CONTEXT);
            s.update(transcriptHash);
            return s.verify(signature);
        } catch (InvalidKeyException | java.io.IOException | IllegalArgumentException e) {
            throw new SessionAuthenticationException("skill proof unverifiable: " + e.getMessage());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SessionAuthenticationException("skill proof unverifiable: " + e.getMessage());
        }
    }

    /** SHA-256 of the signed message, as SHA256withECDSA computes it. */
    private static byte[] digest(byte[] transcriptHash) throws GeneralSecurityException {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(CONTEXT);
        return d.digest(transcriptHash);
    }

    private static String algorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> "SHA256withRSA";
        };
    }
}
