package io.acip.seal;

import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;

/**
 * Signs INITIATOR_ATTESTATION TLVs with a node's key (docs/acip-v0.md §7.6). The key parameters and the certificate's
 * DER are prepared once per node; each signature is Bouncy Castle ECDSA with RFC 6979 nonces, as the skill proof's,
 * so equal inputs give equal signatures (which makes the spec's vector reproducible, not the protocol depend on it).
 */
public final class AttestationSigner {
    private final ECPrivateKeyParameters key;
    private final byte[] certificate;

    public AttestationSigner(PrivateKey nodeKey, X509Certificate nodeCertificate) {
        this(nodeKey, der(nodeCertificate));
    }

    /** With the certificate as DER bytes, as the TLV carries it (the spec's vector uses a short fake one). */
    public AttestationSigner(PrivateKey nodeKey, byte[] nodeCertificateDer) {
        try {
            this.key = (ECPrivateKeyParameters) ECUtil.generatePrivateKeyParameter(nodeKey);
        } catch (InvalidKeyException | ClassCastException e) {
            throw new IllegalArgumentException("a node key is an EC (P-256) key", e);
        }
        this.certificate = nodeCertificateDer.clone();
    }

    private static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("node certificate cannot be encoded", e);
        }
    }

    public InitiatorAttestation sign(String responderSkill, long tenant, String initiator, List<String> groups,
                                     byte[] contribution) {
        byte[] input = InitiatorAttestation.signatureInput(responderSkill, tenant, initiator, groups, contribution);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, key);
        BigInteger[] rs = signer.generateSignature(sha256(input));
        try {
            byte[] signature = StandardDSAEncoding.INSTANCE.encode(key.getParameters().getN(), rs[0], rs[1]);
            return new InitiatorAttestation(groups, certificate, signature);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot encode an ECDSA signature", e);
        }
    }

    static byte[] sha256(byte[] input) {
        SHA256Digest d = new SHA256Digest();
        d.update(input, 0, input.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }
}
