package io.acip.seal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import io.acip.wire.SkillName;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The responder's proof of skill ownership (docs/acip-v0.md §7.4). */
class SkillProofTest {
    private static final Duration DAY = Duration.ofDays(1);
    private static FabricCa ca;
    private static IssuedIdentity payments;
    private static final byte[] HASH = PacketProtectionTest.bytes(32, 30);

    @BeforeAll
    static void issue() {
        ca = FabricCa.generate("x");
        payments = ca.issueSkill("bank-a/payments", DAY);
    }

    @Test
    void validProofReturnsTheCertificate() throws Exception {
        byte[] sig = SkillProof.sign(payments.privateKey(), HASH);
        X509Certificate cert = SkillProof.verify(payments.certificate().getEncoded(), sig, HASH,
                new SkillName("bank-a/payments"), ca.certificate());
        assertEquals(payments.certificate(), cert);
    }

    @Test
    void certificateForAPrefixCoversTheSkillsUnderIt() throws Exception {
        byte[] sig = SkillProof.sign(payments.privateKey(), HASH);
        SkillProof.verify(payments.certificate().getEncoded(), sig, HASH, new SkillName("bank-a/payments/authorize"),
                ca.certificate());
    }

    @Test
    void signatureIsEcdsaOverTheContextAndTheTranscriptHash() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(payments.privateKey());
        s.update("acip/0 skill proof".getBytes(US_ASCII));
        s.update(HASH);
        SkillProof.verify(payments.certificate().getEncoded(), s.sign(), HASH, new SkillName("bank-a/payments"),
                ca.certificate());
    }

    @Test
    void certificateForAnotherSkillIsRefused() throws Exception {
        byte[] sig = SkillProof.sign(payments.privateKey(), HASH);
        byte[] der = payments.certificate().getEncoded();
        for (String other : new String[] {"bank-a/payroll", "bank-a/payments-eu", "bank-a", "bank-b/payments"}) {
            SessionAuthenticationException e = assertThrows(SessionAuthenticationException.class,
                    () -> SkillProof.verify(der, sig, HASH, new SkillName(other), ca.certificate()), other);
            assertTrue(e.getMessage().contains("does not name"), e.getMessage());
        }
    }

    @Test
    void certificateFromAnotherCaIsRefused() throws Exception {
        IssuedIdentity rogue = FabricCa.generate("rogue").issueSkill("bank-a/payments", DAY);
        byte[] sig = SkillProof.sign(rogue.privateKey(), HASH);
        SessionAuthenticationException e = assertThrows(SessionAuthenticationException.class,
                () -> SkillProof.verify(rogue.certificate().getEncoded(), sig, HASH, new SkillName("bank-a/payments"),
                        ca.certificate()));
        assertTrue(e.getMessage().contains("skill certificate refused"), e.getMessage());
    }

    @Test
    void badSignaturesAreRefused() throws Exception {
        byte[] der = payments.certificate().getEncoded();
        SkillName skill = new SkillName("bank-a/payments");
        byte[] good = SkillProof.sign(payments.privateKey(), HASH);

        byte[] flipped = good.clone();
        flipped[flipped.length - 1] ^= 1;
        byte[] otherHash = HASH.clone();
        otherHash[0] ^= 1;
        byte[] overOtherTranscript = SkillProof.sign(payments.privateKey(), otherHash);
        byte[] byOtherKey = SkillProof.sign(ca.issueSkill("bank-a/payments", DAY).privateKey(), HASH);

        for (byte[] sig : new byte[][] {flipped, overOtherTranscript, byOtherKey, new byte[0], new byte[] {0x30, 0}}) {
            assertThrows(SessionAuthenticationException.class, () -> SkillProof.verify(der, sig, HASH, skill, ca.certificate()));
        }
    }

    @Test
    void certificateThatIsNotOneIsRefused() {
        byte[] sig = SkillProof.sign(payments.privateKey(), HASH);
        for (byte[] der : new byte[][] {new byte[0], "fake-skill-cert".getBytes(US_ASCII), new byte[] {0x30, 0x03, 2, 1, 0}}) {
            assertThrows(SessionAuthenticationException.class,
                    () -> SkillProof.verify(der, sig, HASH, new SkillName("bank-a/payments"), ca.certificate()));
        }
    }

    @Test
    void nodeCertificateProvesNoSkill() throws Exception {
        IssuedIdentity node = ca.issueNode("bank-a", DAY);
        byte[] sig = SkillProof.sign(node.privateKey(), HASH);
        assertThrows(SessionAuthenticationException.class, () -> SkillProof.verify(node.certificate().getEncoded(), sig,
                HASH, new SkillName("bank-a"), ca.certificate()));
    }
}
