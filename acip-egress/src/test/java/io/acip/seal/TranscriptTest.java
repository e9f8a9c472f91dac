package io.acip.seal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.acip.wire.Metadata;
import io.acip.wire.SkillName;
import io.acip.wire.Setup;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The handshake transcript (docs/acip-v0.md §7.2). */
class TranscriptTest {
    private static final byte[] I_SHARE = PacketProtectionTest.bytes(32, 10);
    private static final byte[] R_SHARE = PacketProtectionTest.bytes(32, 11);
    private static final byte[] CERT = PacketProtectionTest.bytes(300, 12);

    /** A SETUP's metadata as the initiator's node sends it: every end-to-end TLV v0 defines, and an unknown one. */
    private static final Metadata SETUP_METADATA = Metadata.of(
            Tlv.ofVarInt(TlvType.TENANT, 7),
            Tlv.ofString(TlvType.ALLOWED_REGIONS, "eu-west,eu-central"),
            Tlv.ofString(TlvType.REQUIRED_ATTRIBUTES, "pci=true"),
            Tlv.ofVarInt(TlvType.MAX_LATENCY_MS, 250),
            Tlv.ofString(TlvType.TRACEPARENT, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
            new Tlv(TlvType.AFFINITY_KEY, "order-1234".getBytes(US_ASCII)),
            Tlv.ofString(TlvType.PAYLOAD_PROTOCOL, "bhttp"),
            new Tlv(0x40, new byte[] {(byte) 0xca, (byte) 0xfe}),
            new Tlv(TlvType.KEY_SHARE, I_SHARE));

    private static Transcript base() {
        return withMetadata(new byte[] {0x01, 0x01, 0x07}); // TENANT 7
    }

    private static Transcript withMetadata(byte[] setupMetadata) {
        return new Transcript(false, "bank-a/payments", "agent://x", setupMetadata, I_SHARE, R_SHARE, CERT, "inst-1");
    }

    private static Transcript of(Metadata setupMetadata) {
        return withMetadata(setupMetadata.endToEnd());
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
        in.write(3);
        in.writeBytes(new byte[] {0x01, 0x01, 0x07});
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

    /** The SETUP's TLVs are one vbytes field: a varint length (two bytes from 64 on), then the TLVs. */
    @Test
    void setupMetadataIsALengthPrefixedField() throws Exception {
        byte[] tlvs = Metadata.of(new Tlv(0x40, new byte[296])).endToEnd();
        assertEquals(300, tlvs.length, "type 0x40 (2 bytes), length 296 (2 bytes), value");
        Transcript t = new Transcript(true, "a", "", tlvs, new byte[0], new byte[0], new byte[0], "");
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(concat(
                concat("acip/0 transcript".getBytes(US_ASCII), new byte[] {1, 1, 'a', 0, 0x41, 0x2c}),
                concat(tlvs, new byte[] {0, 0, 0, 0})));
        assertArrayEquals(expected, t.hash());

        Transcript none = new Transcript(true, "a", "", Metadata.EMPTY.endToEnd(), new byte[0], new byte[0],
                new byte[0], "");
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(concat("acip/0 transcript".getBytes(US_ASCII),
                new byte[] {1, 1, 'a', 0, 0, 0, 0, 0, 0})), none.hash(), "no metadata: a zero length");
    }

    @Test
    void everyFieldChangesTheHash() {
        Transcript b = base();
        byte[] m = b.setupMetadata();
        List<Transcript> variants = List.of(b,
                new Transcript(true, b.responderSkill(), b.initiator(), m, I_SHARE, R_SHARE, CERT, "inst-1"),
                new Transcript(false, "bank-a/payroll", b.initiator(), m, I_SHARE, R_SHARE, CERT, "inst-1"),
                new Transcript(false, b.responderSkill(), "agent://y", m, I_SHARE, R_SHARE, CERT, "inst-1"),
                new Transcript(false, b.responderSkill(), b.initiator(), new byte[] {0x01, 0x01, 0x08}, I_SHARE,
                        R_SHARE, CERT, "inst-1"),
                new Transcript(false, b.responderSkill(), b.initiator(), new byte[0], I_SHARE, R_SHARE, CERT, "inst-1"),
                new Transcript(false, b.responderSkill(), b.initiator(), m, R_SHARE, R_SHARE, CERT, "inst-1"),
                new Transcript(false, b.responderSkill(), b.initiator(), m, I_SHARE, I_SHARE, CERT, "inst-1"),
                new Transcript(false, b.responderSkill(), b.initiator(), m, I_SHARE, R_SHARE,
                        Arrays.copyOf(CERT, 299), "inst-1"),
                new Transcript(false, b.responderSkill(), b.initiator(), m, I_SHARE, R_SHARE, CERT, "inst-2"));
        Set<String> hashes = new HashSet<>();
        for (Transcript t : variants) hashes.add(HexFormat.of().formatHex(t.hash()));
        assertEquals(variants.size(), hashes.size());
    }

    /**
     * §7.2, §9: a transit node that alters, strips, adds or reorders any SETUP TLV but TRAJECTORY (policy, tenant,
     * payload protocol, trace context, affinity key, an unknown TLV) makes the two ends' transcripts differ.
     */
    @Test
    void alteringOrStrippingAnEndToEndTlvChangesTheHash() {
        List<UnaryOperator<List<Tlv>>> tampering = new ArrayList<>();
        for (int i = 0; i < SETUP_METADATA.tlvs().size(); i++) {
            int at = i;
            tampering.add(l -> { // stripped
                l.remove(at);
                return l;
            });
            tampering.add(l -> { // value altered, length kept
                Tlv t = l.get(at);
                byte[] v = t.value().clone();
                v[v.length - 1] ^= 1;
                l.set(at, new Tlv(t.type(), v));
                return l;
            });
        }
        tampering.add(l -> { // a policy loosened: the region list widened
            l.set(1, Tlv.ofString(TlvType.ALLOWED_REGIONS, "eu-west,eu-central,us-east"));
            return l;
        });
        tampering.add(l -> { // a latency bound lifted: 0 means unbounded
            l.set(3, Tlv.ofVarInt(TlvType.MAX_LATENCY_MS, 0));
            return l;
        });
        tampering.add(l -> { // a TLV added
            l.add(0, Tlv.ofString(TlvType.REQUIRED_ATTRIBUTES, "tier=gold"));
            return l;
        });
        tampering.add(l -> { // two TLVs swapped
            Tlv t = l.get(1);
            l.set(1, l.get(2));
            l.set(2, t);
            return l;
        });

        Set<String> hashes = new HashSet<>();
        hashes.add(HexFormat.of().formatHex(of(SETUP_METADATA).hash()));
        for (UnaryOperator<List<Tlv>> t : tampering) {
            Metadata tampered = new Metadata(t.apply(new ArrayList<>(SETUP_METADATA.tlvs())));
            hashes.add(HexFormat.of().formatHex(of(tampered).hash()));
        }
        assertEquals(tampering.size() + 1, hashes.size(), "every tampering gives its own hash");
    }

    /** TRAJECTORY is the one TLV every forwarder must change, so it is not in the transcript wherever it sits. */
    @Test
    void trajectoryDoesNotChangeTheHash() {
        byte[] atOrigin = of(SETUP_METADATA).hash();
        Setup sent = new Setup(0, 16, false, new SkillName("bank-a/payments"), "agent://x", SETUP_METADATA);
        Setup atResponder = sent.forwarded(5, "edge-a1", 0).forwarded(0x8000_0001, "pe-sp1", 1)
                .forwarded(0x8000_0002, "pe-sp2", 1);
        assertEquals(List.of("edge-a1", "pe-sp1", "pe-sp2"), atResponder.metadata().trajectory());
        assertArrayEquals(atOrigin, of(atResponder.metadata()).hash(), "the responder hashes what the initiator did");

        List<Tlv> interleaved = new ArrayList<>(SETUP_METADATA.tlvs());
        interleaved.add(0, Tlv.ofString(TlvType.TRAJECTORY, "first"));
        interleaved.add(4, Tlv.ofString(TlvType.TRAJECTORY, "middle"));
        assertArrayEquals(atOrigin, of(new Metadata(interleaved)).hash(), "TRAJECTORY is left out wherever it is");
    }

    /** Length prefixes keep field boundaries unambiguous. */
    @Test
    void movingBytesBetweenFieldsChangesTheHash() {
        Transcript a = new Transcript(false, "ab", "c", new byte[0], I_SHARE, R_SHARE, CERT, "");
        Transcript b = new Transcript(false, "a", "bc", new byte[0], I_SHARE, R_SHARE, CERT, "");
        assertFalse(Arrays.equals(a.hash(), b.hash()));
        assertEquals(32, a.hash().length);
        byte[] tenant = {0x01, 0x01, 0x07};
        Transcript c = new Transcript(false, "a", "b", tenant, I_SHARE, R_SHARE, CERT, "");
        Transcript d = new Transcript(false, "a", "b", new byte[0], concat(tenant, I_SHARE), R_SHARE, CERT, "");
        assertFalse(Arrays.equals(c.hash(), d.hash()), "metadata bytes cannot move into a neighbouring field");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
