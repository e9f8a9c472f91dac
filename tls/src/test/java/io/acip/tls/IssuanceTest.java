package io.acip.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.tls.identity.CertificateIdentities;
import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;

/** What {@link FabricCa} puts into node, skill and server certificates. */
class IssuanceTest {
    private static final FabricCa CA = FabricCa.generate("issuance test CA");
    private static final Duration DAY = Duration.ofDays(1);
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @Test
    void nodeCertificateNamesTheNodeUriOnlyAndServesBothTlsSides() throws Exception {
        Instant before = Instant.now();
        IssuedIdentity node = CA.issueNode("edge-1", DAY);
        X509Certificate leaf = node.certificate();
        assertEquals(List.of(List.of(6, "acip://node/edge-1")), sans(leaf));
        assertEquals(List.of(SERVER_AUTH, CLIENT_AUTH), leaf.getExtendedKeyUsage());
        assertLeafBasics(leaf);
        assertEquals(List.of(leaf, CA.certificate()), node.chain());
        assertTrue(!leaf.getNotBefore().toInstant().isAfter(before.minus(FabricCa.BACKDATE)));
        assertTrue(!leaf.getNotAfter().toInstant().isBefore(before.plus(DAY).minusSeconds(1)));
    }

    @Test
    void loopbackNamesOnlyWhenAsked() throws Exception {
        X509Certificate leaf = CA.issueNode("edge-1", DAY, IssueOptions.LOOPBACK).certificate();
        assertEquals(List.of(List.of(6, "acip://node/edge-1"), List.of(2, "localhost"), List.of(7, "127.0.0.1"),
                List.of(7, "0:0:0:0:0:0:0:1")), sans(leaf));
    }

    @Test
    void skillCertificateNamesTheEncodedSkillUri() throws Exception {
        X509Certificate leaf = CA.issueSkill("team ü/echo", DAY).certificate();
        assertEquals(List.of(List.of(6, "acip://skill/team%20%C3%BC/echo")), sans(leaf));
        assertEquals(List.of(SERVER_AUTH, CLIENT_AUTH), leaf.getExtendedKeyUsage());
        assertLeafBasics(leaf);
    }

    @Test
    void serverCertificateNamesHostsAndAddressesForServerAuthOnly() throws Exception {
        X509Certificate leaf = CA.issueServer(List.of("Gateway.Example", "*.skills.example"),
                List.of(InetAddress.getByName("192.0.2.7")), DAY).certificate();
        assertEquals(List.of(List.of(2, "gateway.example"), List.of(2, "*.skills.example"), List.of(7, "192.0.2.7")),
                sans(leaf));
        assertEquals(List.of(SERVER_AUTH), leaf.getExtendedKeyUsage());
        assertEquals("CN=Gateway.Example", leaf.getSubjectX500Principal().getName());
        assertLeafBasics(leaf);
    }

    @Test
    void leavesVerifyAgainstTheirCaOnly() {
        FabricCa other = FabricCa.generate("other CA");
        for (IssuedIdentity id : List.of(CA.issueNode("n", DAY), CA.issueSkill("demo/echo", DAY),
                CA.issueServer(List.of("localhost"), List.of(), DAY))) {
            assertDoesNotThrow(() -> CertificateIdentities.verifyChain(id.certificateChain(), CA.certificate()));
            assertThrows(CertificateException.class,
                    () -> CertificateIdentities.verifyChain(id.certificateChain(), other.certificate()));
        }
    }

    @Test
    void leafNeverOutlivesTheCa() {
        X509Certificate leaf = CA.issueNode("n", Duration.ofDays(365 * 50)).certificate();
        assertEquals(CA.certificate().getNotAfter(), leaf.getNotAfter());
    }

    @Test
    void everyLeafHasItsOwnKeyAndSerial() {
        IssuedIdentity a = CA.issueNode("n", DAY);
        IssuedIdentity b = CA.issueNode("n", DAY);
        assertTrue(!a.certificate().getPublicKey().equals(b.certificate().getPublicKey()));
        assertTrue(!a.certificate().getSerialNumber().equals(b.certificate().getSerialNumber()));
    }

    @Test
    void refusesWhatCannotBeACertificate() {
        assertThrows(IllegalArgumentException.class, () -> CA.issueServer(List.of(), List.of(), DAY));
        assertThrows(IllegalArgumentException.class, () -> CA.issueServer(List.of("bad name"), List.of(), DAY));
        assertThrows(IllegalArgumentException.class, () -> CA.issueServer(List.of("*"), List.of(), DAY));
        assertThrows(IllegalArgumentException.class, () -> CA.issueNode("", DAY));
        assertThrows(IllegalArgumentException.class, () -> CA.issueSkill("demo//echo", DAY));
        assertThrows(IllegalArgumentException.class, () -> CA.issueNode("n", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> CA.issueNode("n", DAY,
                new IssueOptions(List.of("under_score.ok", "not ok"), List.of())));
    }

    @Test
    void longNamesGetAShortenedCommonNameButTheFullUri() throws Exception {
        String name = "a/" + "b".repeat(100);
        X509Certificate leaf = CA.issueSkill(name, DAY).certificate();
        assertEquals(List.of(name), CertificateIdentities.skillNames(leaf));
        assertEquals(64, leaf.getSubjectX500Principal().getName().length() - "CN=".length());
    }

    /** What every leaf shares: not a CA, signs only, identifies its key and its issuer's key. */
    private static void assertLeafBasics(X509Certificate leaf) throws Exception {
        leaf.verify(CA.certificate().getPublicKey());
        assertEquals(CA.certificate().getSubjectX500Principal(), leaf.getIssuerX500Principal());
        assertEquals(-1, leaf.getBasicConstraints());
        assertEquals(Set.of(Extension.basicConstraints.getId(), Extension.keyUsage.getId()),
                leaf.getCriticalExtensionOIDs());
        boolean[] digitalSignatureOnly = new boolean[9];
        digitalSignatureOnly[0] = true;
        assertArrayEquals(digitalSignatureOnly, leaf.getKeyUsage());
        byte[] caSki = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                CA.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets())
                .getKeyIdentifier();
        byte[] aki = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets()).getKeyIdentifierOctets();
        assertArrayEquals(caSki, aki);
        assertTrue(leaf.getExtensionValue(Extension.subjectKeyIdentifier.getId()) != null);
        assertEquals(128, leaf.getSerialNumber().bitLength());
    }

    private static List<List<?>> sans(X509Certificate c) throws Exception {
        return new ArrayList<>(c.getSubjectAlternativeNames());
    }
}
