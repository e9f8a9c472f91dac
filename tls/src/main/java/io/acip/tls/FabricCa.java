package io.acip.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate authority of an ACIP fabric: one key and self-signed certificate that every node trusts, and that
 * issues node, skill and server certificates ({@link IssuedIdentity}). Persisted as {@value #CERT_FILE} and
 * {@value #KEY_FILE} (PKCS#8, mode 0600) in a directory; see {@link #loadOrCreate}.
 *
 * <p>Leaves are not valid before one hour ago (peers' clocks drift) and never past the CA's own expiry (a chain
 * would not verify then anyway). Signing failures are JDK misconfiguration and surface unchecked.
 */
public final class FabricCa {
    public static final String CERT_FILE = "ca.pem";
    public static final String KEY_FILE = "ca-key.pem";
    /** How long a new CA is valid. */
    public static final Duration CA_VALIDITY = Duration.ofDays(3653);
    /** How far before "now" a leaf's validity starts, for clock skew between peers. */
    public static final Duration BACKDATE = Duration.ofHours(1);

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final byte[] keyIdentifier; // null when a loaded CA has no subjectKeyIdentifier

    FabricCa(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
        byte[] ski = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        this.keyIdentifier = ski == null ? null
                : SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ski).getOctets()).getKeyIdentifier();
    }

    /**
     * The CA in {@code dir}: loaded if both files are there, created (and written) if neither is. Safe against
     * several processes starting at once: creators serialise on a lock file and write each file atomically.
     *
     * @throws InvalidCaException if the files are unreadable, do not match, are not a CA, or only one exists
     */
    public static FabricCa loadOrCreate(Path dir, String caName) throws IOException {
        return CaFiles.loadOrCreate(dir, caName);
    }

    /**
     * The CA in {@code dir}, which must hold both files.
     *
     * @throws InvalidCaException if the files are missing, unreadable, do not match, or are not a valid CA
     */
    public static FabricCa load(Path dir) throws IOException {
        return CaFiles.load(dir);
    }

    /** A new CA held in memory only (EC P-256, self-signed, valid {@link #CA_VALIDITY}); for tests and examples. */
    public static FabricCa generate(String caName) {
        if (caName == null || caName.isBlank()) {
            throw new IllegalArgumentException("a CA needs a name");
        }
        KeyPair pair = KeyPairs.p256();
        Instant now = Instant.now();
        X500Name subject = commonName(caName);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, randomSerial(),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic());
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build CA extensions", e);
        }
        return new FabricCa(sign(b, pair.getPrivate()), pair.getPrivate());
    }

    /** The CA certificate: what peers put in their trust store. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The signing key; stays in this package, which writes it only to {@value #KEY_FILE}. */
    PrivateKey key() {
        return key;
    }

    /** A node certificate: SAN {@code acip://node/<nodeId>}, for mutual TLS between nodes. */
    public IssuedIdentity issueNode(String nodeId, Duration validity) {
        return issueNode(nodeId, validity, IssueOptions.NONE);
    }

    /** A node certificate with extra host names or addresses in its SAN. */
    public IssuedIdentity issueNode(String nodeId, Duration validity, IssueOptions options) {
        return issue(LeafProfile.node(nodeId, options), validity);
    }

    /** A skill certificate: SAN {@code acip://skill/<skillName>}, proving ownership of the skill. */
    public IssuedIdentity issueSkill(String skillName, Duration validity) {
        return issueSkill(skillName, validity, IssueOptions.NONE);
    }

    /** A skill certificate with extra host names or addresses in its SAN. */
    public IssuedIdentity issueSkill(String skillName, Duration validity, IssueOptions options) {
        return issue(LeafProfile.skill(skillName, options), validity);
    }

    /** A TLS server certificate for the gateway's listener, naming the given hosts and addresses. */
    public IssuedIdentity issueServer(List<String> dnsNames, List<InetAddress> ips, Duration validity) {
        return issue(LeafProfile.server(dnsNames, ips), validity);
    }

    private IssuedIdentity issue(LeafProfile profile, Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive: " + validity);
        }
        Instant now = Instant.now();
        KeyPair pair = KeyPairs.p256();
        return new IssuedIdentity(pair.getPrivate(),
                List.of(sign(profile, pair.getPublic(), now.minus(BACKDATE), now.plus(validity)), certificate));
    }

    /** Signs a leaf for {@code publicKey}; the validity is clamped to the CA's own. */
    X509Certificate sign(LeafProfile profile, PublicKey publicKey, Instant notBefore, Instant notAfter) {
        Instant caEnd = certificate.getNotAfter().toInstant();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, randomSerial(),
                Date.from(notBefore), Date.from(notAfter.isAfter(caEnd) ? caEnd : notAfter),
                commonName(profile.commonName()), publicKey);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(profile.extendedKeyUsages().toArray(KeyPurposeId[]::new)));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(profile.subjectAltNames().toArray(GeneralName[]::new)));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
            if (keyIdentifier != null) {
                // Copy the CA's own SKI rather than recompute it: OpenSSL matches AKI to SKI byte for byte.
                b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyIdentifier));
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build leaf extensions", e);
        }
        return sign(b, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
        try {
            JcaContentSignerBuilder signer = new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(signingKey));
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer.build(signingKey)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign certificate", e);
        }
    }

    /** RFC 5280 §4.1.2.2: positive, at most 20 octets; random so that serials never collide across restarts. */
    static BigInteger randomSerial() {
        return new BigInteger(128, KeyPairs.RANDOM).setBit(127);
    }

    // RFC 5280 ub-common-name: 64 characters. The CN is for humans; identities live in the SAN.
    private static X500Name commonName(String name) {
        String cn = name.codePointCount(0, name.length()) <= 64 ? name
                : name.substring(0, name.offsetByCodePoints(0, 63)) + "…";
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
    }
}
