package io.acip.tls.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class CertificateIdentitiesTest {
    private static final FabricCa CA = FabricCa.generate("identities test CA");
    private static final FabricCa OTHER_CA = FabricCa.generate("some other CA");
    private static final Duration DAY = Duration.ofDays(1);

    @Test
    void nodeCertificateNamesItsNode() {
        X509Certificate cert = CA.issueNode("edge-1", DAY).certificate();
        assertEquals(Optional.of("edge-1"), CertificateIdentities.nodeId(cert));
        assertEquals(List.of(), CertificateIdentities.skillNames(cert));
        assertEquals(List.of(IdentityUri.node("edge-1")), CertificateIdentities.identities(cert));
    }

    @Test
    void skillNamesWithSlashesAndOddCharactersRoundTripThroughACertificate() {
        for (String name : List.of("demo/echo", "bank-a/payments/authorize", "team ü/echo?x#y", "50%/a+b", "🤖/x")) {
            X509Certificate cert = CA.issueSkill(name, DAY).certificate();
            assertEquals(List.of(name), CertificateIdentities.skillNames(cert), name);
            assertEquals(Optional.empty(), CertificateIdentities.nodeId(cert));
        }
    }

    @Test
    void serverCertificateNamesNoAcipIdentity() throws Exception {
        X509Certificate cert = CA.issueServer(List.of("gateway.example"), List.of(), DAY).certificate();
        assertEquals(List.of(), CertificateIdentities.identities(cert));
    }

    @Test
    void ignoresForeignUrisAndTreatsTwoNodesAsNoNode() throws Exception {
        X509Certificate cert = selfSigned(
                new GeneralName(GeneralName.uniformResourceIdentifier, "https://example.com/agent"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "acip://skill/a b"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "acip://node/n1"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "acip://skill/demo/echo"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "acip://node/n2"),
                new GeneralName(GeneralName.dNSName, "acip.example"));
        assertEquals(List.of(IdentityUri.node("n1"), IdentityUri.skill("demo/echo"), IdentityUri.node("n2")),
                CertificateIdentities.identities(cert));
        assertEquals(Optional.empty(), CertificateIdentities.nodeId(cert));
        assertEquals(List.of("demo/echo"), CertificateIdentities.skillNames(cert));
    }

    @Test
    void verifiesChainsTheCaIssuedWithOrWithoutTheCaAppended() {
        IssuedIdentity node = CA.issueNode("n1", DAY);
        assertDoesNotThrow(() -> CertificateIdentities.verifyChain(node.certificateChain(), CA.certificate()));
        assertDoesNotThrow(() -> CertificateIdentities.verifyChain(
                new X509Certificate[] {node.certificate()}, CA.certificate()));
    }

    @Test
    void refusesChainsOfAnotherCa() {
        IssuedIdentity foreign = OTHER_CA.issueNode("n1", DAY);
        CertificateException e = assertThrows(CertificateException.class,
                () -> CertificateIdentities.verifyChain(foreign.certificateChain(), CA.certificate()));
        assertTrue(e.getMessage().contains("not trusted by CN=identities test CA"), e.getMessage());
        // A foreign leaf followed by our CA is still a foreign leaf.
        assertThrows(CertificateException.class, () -> CertificateIdentities.verifyChain(
                new X509Certificate[] {foreign.certificate(), CA.certificate()}, CA.certificate()));
    }

    @Test
    void refusesLeavesOutsideTheirValidity() {
        IssuedIdentity node = CA.issueNode("n1", DAY);
        Instant notBefore = node.certificate().getNotBefore().toInstant();
        Instant notAfter = node.certificate().getNotAfter().toInstant();
        assertThrows(CertificateException.class, () -> CertificateIdentities.verifyChain(
                node.certificateChain(), CA.certificate(), notAfter.plusSeconds(1)));
        assertThrows(CertificateException.class, () -> CertificateIdentities.verifyChain(
                node.certificateChain(), CA.certificate(), notBefore.minusSeconds(1)));
        assertDoesNotThrow(() -> CertificateIdentities.verifyChain(
                node.certificateChain(), CA.certificate(), notAfter.minusSeconds(1)));
    }

    @Test
    void refusesALeafAsTrustAnchorAndAnEmptyChain() {
        IssuedIdentity node = CA.issueNode("n1", DAY);
        IssuedIdentity signedByNode = CA.issueNode("n2", DAY);
        CertificateException e = assertThrows(CertificateException.class,
                () -> CertificateIdentities.verifyChain(signedByNode.certificateChain(), node.certificate()));
        assertTrue(e.getMessage().contains("is not a CA certificate"), e.getMessage());
        assertThrows(CertificateException.class,
                () -> CertificateIdentities.verifyChain(new X509Certificate[0], CA.certificate()));
        assertThrows(IllegalArgumentException.class, () -> CertificateIdentities.trustManagerFor(node.certificate()));
    }

    @Test
    void trustManagerTrustsOnlyTheCa() {
        X509ExtendedTrustManager tm = CertificateIdentities.trustManagerFor(CA.certificate());
        assertArrayEquals(new X509Certificate[] {CA.certificate()}, tm.getAcceptedIssuers());
        assertDoesNotThrow(() -> tm.checkServerTrusted(CA.issueNode("n1", DAY).certificateChain(), "ECDHE_ECDSA"));
        assertDoesNotThrow(() -> tm.checkClientTrusted(CA.issueNode("n1", DAY).certificateChain(), "EC"));
        assertThrows(CertificateException.class,
                () -> tm.checkServerTrusted(OTHER_CA.issueNode("n1", DAY).certificateChain(), "ECDHE_ECDSA"));
        assertThrows(CertificateException.class,
                () -> tm.checkClientTrusted(OTHER_CA.issueNode("n1", DAY).certificateChain(), "EC"));
    }

    @Test
    void trustManagerChecksTheTlsKeyUsageOfTheSide() {
        // A gateway listener certificate is serverAuth only: it may not authenticate a client.
        X509ExtendedTrustManager tm = CertificateIdentities.trustManagerFor(CA.certificate());
        X509Certificate[] server = CA.issueServer(List.of("gw.example"), List.of(), DAY).certificateChain();
        assertDoesNotThrow(() -> tm.checkServerTrusted(server, "ECDHE_ECDSA"));
        assertThrows(CertificateException.class, () -> tm.checkClientTrusted(server, "EC"));
    }

    private static X509Certificate selfSigned(GeneralName... sans) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair pair = g.generateKeyPair();
        X500Name name = new X500Name("CN=hand-made");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(now), Date.from(now.plus(DAY)), name, pair.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }
}
