package io.acip.seal;

import io.acip.tls.identity.CertificateIdentities;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.bouncycastle.math.ec.ECCurve;

/**
 * The responder's node checks an INITIATOR_ATTESTATION (docs/acip-v0.md §7.6): the certificate chains to the fabric
 * CA, is valid now, names exactly one node and holds a P-256 key; the signature verifies over the input recomputed
 * from the SETUP this node received. Node certificates already checked are remembered (a fabric has few nodes), so a
 * session usually costs one ECDSA verification. One per node; thread-safe.
 */
public final class AttestationVerifier {
    private static final int CACHED = 1024;
    private static final ECCurve P256 = ECNamedCurveTable.getByName("P-256").getCurve();

    private record NodeCertificate(String nodeId, ECPublicKeyParameters key, X509Certificate certificate) {
    }

    private final X509Certificate fabricCa;
    private final Map<ByteBuffer, NodeCertificate> checked = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, NodeCertificate> eldest) {
            return size() > CACHED;
        }
    };

    public AttestationVerifier(X509Certificate fabricCa) {
        this.fabricCa = fabricCa;
    }

    /**
     * Verifies the TLV value {@code attestation} of a SETUP for {@code responderSkill} in {@code tenant}, whose I is
     * {@code initiator} and whose handshake contribution (KEY_SHARE or RESUME value) is {@code contribution}.
     *
     * @throws SessionAuthenticationException naming the check that failed
     */
    public AttestedInitiator verify(byte[] attestation, String responderSkill, long tenant, String initiator,
                                    byte[] contribution, Instant now) throws SessionAuthenticationException {
        InitiatorAttestation a = InitiatorAttestation.decode(attestation);
        String problem = InitiatorAttestation.identityProblem(initiator);
        if (problem != null) throw new SessionAuthenticationException("initiator attestation refused: " + problem);
        NodeCertificate signer = nodeCertificate(a.nodeCertificate(), now);
        byte[] input = InitiatorAttestation.signatureInput(responderSkill, tenant, initiator, a.groups(), contribution);
        boolean valid;
        try {
            BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(signer.key().getParameters().getN(), a.signature());
            ECDSASigner verifier = new ECDSASigner();
            verifier.init(false, signer.key());
            valid = verifier.verifySignature(AttestationSigner.sha256(input), rs[0], rs[1]);
        } catch (java.io.IOException | IllegalArgumentException e) {
            valid = false; // not a DER ECDSA signature
        }
        if (!valid) {
            throw new SessionAuthenticationException("initiator attestation by node " + signer.nodeId()
                    + " does not verify for this session");
        }
        return new AttestedInitiator(initiator, a.groups(), signer.nodeId());
    }

    private NodeCertificate nodeCertificate(byte[] der, Instant now) throws SessionAuthenticationException {
        ByteBuffer key = ByteBuffer.wrap(der);
        NodeCertificate known;
        synchronized (checked) {
            known = checked.get(key);
        }
        if (known == null) {
            known = check(der, now);
            synchronized (checked) {
                checked.put(ByteBuffer.wrap(der.clone()), known);
            }
        }
        // A remembered certificate still has to be within its validity, at every use.
        if (now.isBefore(known.certificate().getNotBefore().toInstant())
                || now.isAfter(known.certificate().getNotAfter().toInstant())) {
            throw new SessionAuthenticationException("initiator attestation refused: certificate of node "
                    + known.nodeId() + " is not valid at " + now);
        }
        return known;
    }

    private NodeCertificate check(byte[] der, Instant now) throws SessionAuthenticationException {
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            CertificateIdentities.verifyChain(new X509Certificate[] {cert}, fabricCa, now);
        } catch (CertificateException | RuntimeException e) {
            throw new SessionAuthenticationException("initiator attestation refused: certificate: " + e.getMessage());
        }
        String nodeId = CertificateIdentities.nodeId(cert).orElseThrow(() -> new SessionAuthenticationException(
                "initiator attestation refused: the signer's certificate names no single node"));
        boolean[] usage = cert.getKeyUsage();
        if (usage != null && !usage[0]) { // [0] is digitalSignature
            throw new SessionAuthenticationException("initiator attestation refused: node " + nodeId
                    + "'s certificate may not sign");
        }
        try {
            ECPublicKeyParameters pub = (ECPublicKeyParameters) ECUtil.generatePublicKeyParameter(cert.getPublicKey());
            if (!pub.getParameters().getCurve().equals(P256)) throw new IllegalArgumentException("not P-256");
            return new NodeCertificate(nodeId, pub, cert);
        } catch (java.security.InvalidKeyException | ClassCastException | IllegalArgumentException e) {
            throw new SessionAuthenticationException("initiator attestation refused: node " + nodeId
                    + " has no P-256 key");
        }
    }
}
