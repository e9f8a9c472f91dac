package io.acip.tls.identity;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * Who a peer certificate says it is, and whether the fabric CA vouches for it. Identities are the
 * {@code acip://} URIs in the subjectAltName ({@link IdentityUri}); the subject DN is never consulted. Trust is PKIX
 * with the fabric CA as the only anchor and no revocation checking (the fabric has no CRL or OCSP service; short
 * leaf validity stands in for it).
 */
public final class CertificateIdentities {
    private CertificateIdentities() {
    }

    /** Every ACIP identity in the certificate's SAN, in order; none if the SAN is absent or not DER. */
    public static List<IdentityUri> identities(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (extension == null) {
            return List.of();
        }
        // Decoded with Bouncy Castle rather than getSubjectAlternativeNames(): the JDK drops the whole SAN when any
        // one URI in it fails java.net.URI's parser, so one odd entry would hide the identities next to it.
        List<IdentityUri> out = new ArrayList<>();
        try {
            GeneralNames names = GeneralNames.getInstance(ASN1OctetString.getInstance(extension).getOctets());
            for (GeneralName n : names.getNames()) {
                if (n.getTagNo() == GeneralName.uniformResourceIdentifier) {
                    IdentityUri.parse(ASN1IA5String.getInstance(n.getName()).getString()).ifPresent(out::add);
                }
            }
        } catch (RuntimeException e) { // Bouncy Castle's ways of saying "not DER"
            return List.of(); // a SAN we cannot decode names nobody: deny rather than guess
        }
        return List.copyOf(out);
    }

    /** The node ID, when the certificate names exactly one node; a certificate naming two is ambiguous: empty. */
    public static Optional<String> nodeId(X509Certificate certificate) {
        List<String> ids = namesOf(certificate, IdentityUri.Kind.NODE);
        return ids.size() == 1 ? Optional.of(ids.get(0)) : Optional.empty();
    }

    /** The skill names the certificate proves ownership of, in SAN order. */
    public static List<String> skillNames(X509Certificate certificate) {
        return namesOf(certificate, IdentityUri.Kind.SKILL);
    }

    /** {@link #verifyChain(X509Certificate[], X509Certificate, Instant)} at the current time. */
    public static void verifyChain(X509Certificate[] chain, X509Certificate ca) throws CertificateException {
        verifyChain(chain, ca, Instant.now());
    }

    /**
     * Checks that {@code chain} (leaf first, as a TLS peer sends it; the CA itself may be included at the end)
     * leads to {@code ca}: every signature, every validity period at {@code at}, CA constraints and key usage of
     * every issuer (RFC 5280 §6.1). Throws with the reason otherwise.
     */
    public static void verifyChain(X509Certificate[] chain, X509Certificate ca, Instant at)
            throws CertificateException {
        requireCa(ca, at);
        if (chain == null || chain.length == 0) {
            throw new CertificateException("empty certificate chain");
        }
        List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
        while (path.size() > 1 && path.get(path.size() - 1).equals(ca)) {
            path.remove(path.size() - 1); // the anchor is not part of the path PKIX validates
        }
        try {
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        } catch (CertPathValidatorException e) {
            String which = e.getIndex() >= 0 && e.getIndex() < path.size()
                    ? " (" + path.get(e.getIndex()).getSubjectX500Principal() + ")" : "";
            throw new CertificateException("chain not trusted by " + ca.getSubjectX500Principal() + which + ": "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("cannot validate chain: " + e.getMessage(), e);
        }
    }

    /**
     * A trust manager that trusts exactly the chains {@code ca} issued (PKIX, no revocation), for mutual TLS
     * between fabric peers; it also checks the TLS extended key usage for the side that presents the chain. It
     * does not check which identity the peer has: read it from the peer certificate with {@link #nodeId}.
     */
    public static X509ExtendedTrustManager trustManagerFor(X509Certificate ca) {
        for (TrustManager tm : trustManagerFactoryFor(ca).getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("the JDK's PKIX TrustManagerFactory made no X509ExtendedTrustManager");
    }

    /** The same trust as {@link #trustManagerFor}, as a factory for APIs that take one (Jetty, Netty). */
    public static TrustManagerFactory trustManagerFactoryFor(X509Certificate ca) {
        try {
            requireCa(ca);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("fabric-ca", ca);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, new X509CertSelector());
            params.setRevocationEnabled(false);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(new CertPathTrustManagerParameters(params));
            return tmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a PKIX trust manager", e);
        }
    }

    /**
     * Checks that {@code ca} can anchor a chain now: basicConstraints CA:true, keyCertSign if it limits key usage
     * (RFC 5280 §4.2.1.3, §4.2.1.9), and within its validity.
     */
    public static void requireCa(X509Certificate ca) throws CertificateException {
        requireCa(ca, Instant.now());
    }

    private static void requireCa(X509Certificate ca, Instant at) throws CertificateException {
        boolean[] usage = ca.getKeyUsage();
        if (ca.getBasicConstraints() < 0 || (usage != null && !usage[5])) { // [5] is keyCertSign
            throw new CertificateException(ca.getSubjectX500Principal() + " is not a CA certificate"
                    + " (needs basicConstraints CA:true and keyUsage keyCertSign)");
        }
        try {
            ca.checkValidity(Date.from(at));
        } catch (CertificateException e) {
            throw new CertificateException("CA " + ca.getSubjectX500Principal() + " is not valid at " + at
                    + " (valid " + ca.getNotBefore().toInstant() + " to " + ca.getNotAfter().toInstant() + ")", e);
        }
    }

    private static List<String> namesOf(X509Certificate certificate, IdentityUri.Kind kind) {
        return identities(certificate).stream().filter(i -> i.kind() == kind).map(IdentityUri::name).toList();
    }
}
