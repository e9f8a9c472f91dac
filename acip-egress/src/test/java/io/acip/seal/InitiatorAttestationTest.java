package io.acip.seal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The initiator attestation (docs/acip-v0.md §7.6): one rule per test, each refusal named. */
class InitiatorAttestationTest {
    private static final String SKILL = "bank-a/payments/authorize";
    private static final String WHO = "https://issuer.example/user-1234";
    private static final List<String> GROUPS = List.of("payments", "ci");
    private static final byte[] SHARE = PacketProtectionTest.bytes(32, 7);
    private static FabricCa ca;
    private static IssuedIdentity edge;
    private static AttestationVerifier verifier;

    @BeforeAll
    static void issue() {
        ca = FabricCa.generate("fabric");
        edge = ca.issueNode("edge-a1", Duration.ofDays(1));
        verifier = new AttestationVerifier(ca.certificate());
    }

    private static byte[] signed(IssuedIdentity signer, byte[] share) {
        return new AttestationSigner(signer.privateKey(), signer.certificate()).sign(SKILL, 7, WHO, GROUPS, share)
                .encode();
    }

    private static AttestedInitiator verify(byte[] value) throws SessionAuthenticationException {
        return verifier.verify(value, SKILL, 7, WHO, SHARE, Instant.now());
    }

    private static String refusal(byte[] value) {
        return assertThrows(SessionAuthenticationException.class, () -> verify(value)).getMessage();
    }

    @Test
    void aValidAttestationNamesIdentityGroupsAndNode() throws Exception {
        AttestedInitiator a = verify(signed(edge, SHARE));
        assertEquals(new AttestedInitiator(WHO, GROUPS, "edge-a1"), a);
        assertEquals(a, verify(signed(edge, SHARE)), "a remembered certificate verifies the same");
    }

    @Test
    void aTamperedSignatureIsRefused() {
        byte[] v = signed(edge, SHARE);
        v[v.length - 1] ^= 1;
        assertTrue(refusal(v).contains("does not verify"), refusal(v));
    }

    @Test
    void anAttestationFromAnotherSessionIsRefused() {
        byte[] lifted = signed(edge, PacketProtectionTest.bytes(32, 8)); // signed over another key share
        assertTrue(refusal(lifted).contains("does not verify"));
    }

    @Test
    void everySignedFieldIsBound() throws Exception {
        byte[] v = signed(edge, SHARE);
        Instant now = Instant.now();
        assertThrows(SessionAuthenticationException.class, () -> verifier.verify(v, "bank-a/other", 7, WHO, SHARE, now));
        assertThrows(SessionAuthenticationException.class, () -> verifier.verify(v, SKILL, 0, WHO, SHARE, now));
        assertThrows(SessionAuthenticationException.class, () -> verifier.verify(v, SKILL, 7, WHO + "x", SHARE, now));
        InitiatorAttestation a = InitiatorAttestation.decode(v);
        byte[] moreGroups = new InitiatorAttestation(List.of("payments", "ci", "admins"), a.nodeCertificate(),
                a.signature()).encode();
        assertTrue(refusal(moreGroups).contains("does not verify"), "groups are signed");
    }

    @Test
    void aSkillCertificateCannotAttest() {
        IssuedIdentity skill = ca.issueSkill("bank-a/payments", Duration.ofDays(1));
        assertTrue(refusal(signed(skill, SHARE)).contains("names no single node"));
    }

    @Test
    void aNodeOfAnotherFabricCannotAttest() {
        IssuedIdentity foreign = FabricCa.generate("other fabric").issueNode("edge-a1", Duration.ofDays(1));
        assertTrue(refusal(signed(foreign, SHARE)).contains("certificate"), refusal(signed(foreign, SHARE)));
    }

    @Test
    void anExpiredNodeCertificateIsRefusedEvenOnceRemembered() throws Exception {
        byte[] v = signed(edge, SHARE);
        assertNotNull(verify(v)); // remembered now
        Instant later = Instant.now().plus(Duration.ofDays(2));
        String why = assertThrows(SessionAuthenticationException.class,
                () -> verifier.verify(v, SKILL, 7, WHO, SHARE, later)).getMessage();
        assertTrue(why.contains("not valid"), why);
        AttestationVerifier fresh = new AttestationVerifier(ca.certificate());
        assertThrows(SessionAuthenticationException.class, () -> fresh.verify(v, SKILL, 7, WHO, SHARE, later));
    }

    @Test
    void malformedValuesAreRefusedBeforeAnyCheck() throws Exception {
        byte[] v = signed(edge, SHARE);
        for (int cut = 0; cut < 20; cut++) {
            String why = refusal(Arrays.copyOf(v, cut));
            assertTrue(why.contains("malformed"), why);
        }
        InitiatorAttestation a = InitiatorAttestation.decode(v);
        byte[] comma = new InitiatorAttestation(List.of("a,b"), a.nodeCertificate(), a.signature()).encode();
        assertTrue(refusal(comma).contains("commas"));
        byte[] twice = new InitiatorAttestation(List.of("a", "a"), a.nodeCertificate(), a.signature()).encode();
        assertTrue(refusal(twice).contains("twice"));
        byte[] longSignature = new InitiatorAttestation(GROUPS, a.nodeCertificate(), new byte[73]).encode();
        assertTrue(refusal(longSignature).contains("malformed"));
    }

    @Test
    void anIdentityThatIsNotVisibleAsciiCannotBeAttested() {
        byte[] v = signed(edge, SHARE);
        assertThrows(SessionAuthenticationException.class,
                () -> verifier.verify(v, SKILL, 7, "user name", SHARE, Instant.now()));
        assertEquals(null, InitiatorAttestation.identityProblem("apikey:ci-bot"));
        assertNotNull(InitiatorAttestation.identityProblem("jürgen"));
        assertNotNull(InitiatorAttestation.identityProblem("x".repeat(256)));
    }

    @Test
    void encodingRoundTrips() throws Exception {
        InitiatorAttestation a = new InitiatorAttestation(GROUPS, new byte[] {1, 2, 3}, new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
        InitiatorAttestation back = InitiatorAttestation.decode(a.encode());
        assertEquals(GROUPS, back.groups());
        assertTrue(Arrays.equals(a.nodeCertificate(), back.nodeCertificate()));
        assertTrue(Arrays.equals(a.signature(), back.signature()));
        assertEquals(List.of(), InitiatorAttestation.decode(new InitiatorAttestation(List.of(), new byte[] {1},
                new byte[8]).encode()).groups());
    }
}
