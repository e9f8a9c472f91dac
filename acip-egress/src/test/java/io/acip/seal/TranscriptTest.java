package io.acip.seal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The handshake transcript (docs/acip-v0.md §7.2). */
class TranscriptTest {
    private static final byte[] I_SHARE = PacketProtectionTest.bytes(32, 10);
    private static final byte[] R_SHARE = PacketProtectionTest.bytes(32, 11);
    private static final byte[] CERT = PacketProtectionTest.bytes(300, 12);

    private static Transcript base() {
        return new Transcript(false, "bank-a/payments", "agent://x", 7, I_SHARE, R_SHARE, CERT, "inst-1");
    }

    @Test
    void hashIsSha256OfTheSpecifiedEncoding() throws Exception {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes("acip/0 transcript".getBytes(US_ASCII));
        in.write(0);
        in.write(15);
        in.writeBytes("bank-a/payments".getBytes(UTF_8));
        in.write(9);
        in.writeBytes("agent://x".getBytes(UTF_8));
        in.write(7);
        in.write(32);
        in.writeBytes(I_SHARE);
        in.write(32);
        in.writeBytes(R_SHARE);
        in.writeBytes(HexFormat.of().parseHex("412c")); // 300 as a 2-byte varint
        in.writeBytes(CERT);
        in.write(6);
        in.writeBytes("inst-1".getBytes(UTF_8));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(in.toByteArray()), base().hash());
    }

    @Test
    void tenantIsAVarint() throws Exception {
        Transcript t = new Transcript(true, "a", "", 300, new byte[0], new byte[0], new byte[0], "");
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(concat("acip/0 transcript".getBytes(US_ASCII),
                new byte[] {1, 1, 'a', 0, 0x41, 0x2c, 0, 0, 0, 0}));
        assertArrayEquals(expected, t.hash());
    }

    @Test
    void everyFieldChangesTheHash() {
        Transcript b = base();
        List<Transcript> variants = List.of(b,
                new Transcript(true, b.responderSkill(), b.initiator(), b.tenant(), I_SHARE, R_SHARE, CERT, "inst-1"),
                new Transcript(false, "bank-a/payroll", b.initiator(), b.tenant(), I_SHARE, R_SHARE, CERT, "inst-1"),
                new Transcript(false, b.responderSkill(), "agent://y", b.tenant(), I_SHARE, R_SHARE, CERT, "inst-1"),
                new Transcript(false, b.responderSkill(), b.initiator(), 8, I_SHARE, R_SHARE, CERT, "inst-1"),
                new Transcript(false, b.responderSkill(), b.initiator(), b.tenant(), R_SHARE, R_SHARE, CERT, "inst-1"),
                new Transcript(false, b.responderSkill(), b.initiator(), b.tenant(), I_SHARE, I_SHARE, CERT, "inst-1"),
                new Transcript(false, b.responderSkill(), b.initiator(), b.tenant(), I_SHARE, R_SHARE,
                        Arrays.copyOf(CERT, 299), "inst-1"),
                new Transcript(false, b.responderSkill(), b.initiator(), b.tenant(), I_SHARE, R_SHARE, CERT, "inst-2"));
        Set<String> hashes = new HashSet<>();
        for (Transcript t : variants) hashes.add(HexFormat.of().formatHex(t.hash()));
        assertEquals(variants.size(), hashes.size());
    }

    /** Length prefixes keep field boundaries unambiguous. */
    @Test
    void movingBytesBetweenFieldsChangesTheHash() {
        Transcript a = new Transcript(false, "ab", "c", 0, I_SHARE, R_SHARE, CERT, "");
        Transcript b = new Transcript(false, "a", "bc", 0, I_SHARE, R_SHARE, CERT, "");
        assertFalse(Arrays.equals(a.hash(), b.hash()));
        assertEquals(32, a.hash().length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
