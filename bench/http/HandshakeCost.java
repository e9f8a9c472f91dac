import io.acip.seal.KeyShare;
import io.acip.seal.SessionKeys;
import io.acip.seal.SkillProof;
import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import io.acip.tls.identity.CertificateIdentities;
import io.acip.wire.SkillName;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * CPU cost of one ACIP session handshake (docs/acip-v0.md §7) and of its parts, single-threaded, after warm-up, in
 * the JVM that runs it: what every HTTP request through the gateway pays on a node's event loop, since each request
 * is its own session. Also prices alternatives: Bouncy Castle's P-256 (same keys and signatures) and Ed25519 skill keys.
 *
 * <pre>java -cp gateway/target/acip-gateway.jar bench/http/HandshakeCost.java [seconds per item, default 2]</pre>
 */
public final class HandshakeCost {
    interface Op {
        Object run() throws Exception;
    }

    static volatile Object sink;

    static double micros(String name, double seconds, Op op) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 0.5e9);
        while (System.nanoTime() < end) sink = op.run(); // warm-up: half the time
        long n = 0;
        long start = System.nanoTime();
        end = start + (long) (seconds * 1e9);
        long now;
        do {
            for (int i = 0; i < 16; i++) sink = op.run();
            n += 16;
            now = System.nanoTime();
        } while (now < end);
        double us = (now - start) / 1e3 / n;
        System.out.printf("  %-58s %9.1f us  %9.0f /s%n", name, us, 1e6 / us);
        return us;
    }

    public static void main(String[] args) throws Exception {
        double s = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        SecureRandom random = new SecureRandom();
        FabricCa ca = FabricCa.generate("bench CA");
        IssuedIdentity skill = ca.issueSkill("bench/file", Duration.ofDays(1));
        X509Certificate caCert = ca.certificate();
        byte[] der = skill.certificate().getEncoded();
        byte[] hash = MessageDigest.getInstance("SHA-256").digest("transcript".getBytes());
        SkillName requested = new SkillName("bench/file");
        byte[] proof = SkillProof.sign(skill.privateKey(), hash);
        KeyShare a = KeyShare.generate(random);
        KeyShare b = KeyShare.generate(random);
        byte[] bPub = b.publicKey();
        byte[] secret = a.agree(bPub);

        System.out.println("session handshake parts (JDK " + System.getProperty("java.version") + ", "
                + skill.privateKey().getAlgorithm() + " skill key):");
        double keygen = micros("X25519 key share: generate + public key (BC)", s,
                () -> KeyShare.generate(random).publicKey());
        double agree = micros("X25519 agree (BC)", s, () -> a.agree(bPub));
        double sign = micros("skill proof sign: SHA256withECDSA P-256 (JDK)", s,
                () -> SkillProof.sign(skill.privateKey(), hash));
        double verify = micros("skill proof verify, all of SkillProof.verify", s,
                () -> SkillProof.verify(der, proof, hash, requested, caCert));
        double parse = micros("  of which: X.509 parse (JDK caches it by encoding)", s, () -> CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der)));
        X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        double chain = micros("  of which: PKIX chain check (JDK caches the result)", s, () -> {
            CertificateIdentities.verifyChain(new X509Certificate[] {parsed, caCert}, caCert);
            return parsed;
        });
        micros("  of which: proof signature verify (JDK)", s, () -> {
            Signature v = Signature.getInstance("SHA256withECDSA");
            v.initVerify(parsed.getPublicKey());
            v.update("acip/0 skill proof".getBytes());
            v.update(hash);
            return v.verify(proof);
        });
        double derive = micros("SessionKeys.derive (HKDF)", s, () -> SessionKeys.derive(secret, hash));
        double total = 2 * keygen + 2 * agree + sign + verify + 2 * derive;
        System.out.printf("  %-58s %9.1f us  %9.0f /s%n", "= one handshake (2 gen, 2 agree, sign, verify, 2 derive)",
                total, 1e6 / total);

        System.out.println("alternatives:");
        X9ECParameters x9 = CustomNamedCurves.getByName("secp256r1");
        ECDomainParameters dom = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
        ECPrivateKeyParameters bcPriv = new ECPrivateKeyParameters(((ECPrivateKey) skill.privateKey()).getS(), dom);
        ECPublicKey jdkPub = (ECPublicKey) parsed.getPublicKey();
        ECPublicKeyParameters bcPub = new ECPublicKeyParameters(dom.getCurve().createPoint(
                jdkPub.getW().getAffineX(), jdkPub.getW().getAffineY()), dom);
        ECDSASigner signer = new ECDSASigner();
        signer.init(true, new ParametersWithRandom(bcPriv, random));
        double bcSign = micros("ECDSA P-256 sign (BC lightweight, custom curve)", s, () -> signer.generateSignature(hash));
        BigInteger[] rs = signer.generateSignature(hash);
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, bcPub);
        double bcVerify = micros("ECDSA P-256 verify (BC lightweight, custom curve)", s,
                () -> verifier.verifySignature(hash, rs[0], rs[1]));
        Ed25519PrivateKeyParameters ed = new Ed25519PrivateKeyParameters(random);
        Ed25519Signer edSigner = new Ed25519Signer();
        edSigner.init(true, ed);
        double edSign = micros("Ed25519 sign (BC lightweight)", s, () -> {
            edSigner.update(hash, 0, hash.length);
            return edSigner.generateSignature();
        });
        edSigner.update(hash, 0, hash.length);
        byte[] edSig = edSigner.generateSignature();
        Ed25519Signer edVerifier = new Ed25519Signer();
        edVerifier.init(false, ed.generatePublicKey());
        double edVerify = micros("Ed25519 verify (BC lightweight)", s, () -> {
            edVerifier.update(hash, 0, hash.length);
            return edVerifier.verifySignature(edSig);
        });
        double rest = 2 * keygen + 2 * agree + parse + chain + 2 * derive;
        double bcTotal = rest + bcSign + bcVerify;
        System.out.printf("  %-58s %9.1f us  %9.0f /s%n", "= handshake with BC P-256 sign/verify (same keys, same wire)",
                bcTotal, 1e6 / bcTotal);
        double edTotal = rest + edSign + edVerify;
        System.out.printf("  %-58s %9.1f us  %9.0f /s%n", "= handshake with Ed25519 skill keys (BC)", edTotal,
                1e6 / edTotal);
    }
}
