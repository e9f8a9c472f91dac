package io.acip.wire;

import static io.acip.wire.WireHex.concat;
import static io.acip.wire.WireHex.drain;
import static io.acip.wire.WireHex.header;
import static io.acip.wire.WireHex.tlv;
import static io.acip.wire.WireHex.varint;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.acip.link.PacketFrameDecoder;
import io.acip.seal.AttestationSigner;
import io.acip.seal.InitiatorAttestation;
import io.acip.seal.KeySchedule;
import io.acip.seal.KeyShare;
import io.acip.seal.PacketProtection;
import io.acip.seal.SessionKeys;
import io.acip.seal.Transcript;
import io.acip.tls.hkdf.Hkdf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The hex vectors of docs/acip-v0.md, regenerated here with the project's own encoders and compared with the doc
 * byte for byte (and comment for comment), so that the spec and the code cannot drift apart. Each vector is also
 * rebuilt field by field from the spec's rules (independently of the encoder) and decoded back.
 *
 * <p>When a vector changes on purpose, the failure message prints the block to paste under its
 * {@code <!-- vector: name -->} marker.
 */
class SpecVectorsTest {
    static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    // RFC 7748 §6.1 key pairs, so that the shared secret can be checked against the RFC.
    static final byte[] INITIATOR_PRIVATE = WireHex.bytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    static final byte[] RESPONDER_PRIVATE = WireHex.bytes("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    static final byte[] RFC7748_SHARED = WireHex.bytes("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

    static final String SKILL = "bank-a/payments/authorize";
    static final String INITIATOR = "agent://corp-a1/checkout";
    static final long TENANT = 7;
    static final String REGIONS = "eu-west,eu-central";
    static final String ATTRIBUTES = "pci=true";
    static final long MAX_LATENCY = 250;
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    static final byte[] AFFINITY = "order-1234".getBytes(US_ASCII);
    static final long UNKNOWN_EVEN = 0x40;
    static final byte[] UNKNOWN_VALUE = {(byte) 0xca, (byte) 0xfe};
    static final String INSTANCE = "authorize-eu-1";
    static final byte[] FAKE_CERT = "fake-skill-cert".getBytes(US_ASCII);
    static final byte[] FAKE_PROOF = "fake-proof".getBytes(US_ASCII);

    static final String DGRAM_SKILL = "demo/udp-echo";
    static final String DGRAM_INSTANCE = "udp-echo-1";

    static final int LINK_LABEL = 0x8000_0001; // allocated by the side that dialled the link
    static final int ACCEPTOR_LABEL = 0x0000_0001; // allocated by the side that accepted it

    // ------------------------------------------------------------------ SETUP

    /** The SETUP of A.1 as the initiator asks for it, before any node has put itself on the trajectory. */
    static Setup setupAtOrigin() {
        Metadata atOrigin = Metadata.of(
                Tlv.ofVarInt(TlvType.TENANT, TENANT),
                Tlv.ofString(TlvType.ALLOWED_REGIONS, REGIONS),
                Tlv.ofString(TlvType.REQUIRED_ATTRIBUTES, ATTRIBUTES),
                Tlv.ofVarInt(TlvType.MAX_LATENCY_MS, MAX_LATENCY),
                Tlv.ofString(TlvType.TRACEPARENT, TRACEPARENT),
                new Tlv(TlvType.AFFINITY_KEY, AFFINITY),
                Tlv.ofString(TlvType.PAYLOAD_PROTOCOL, "bhttp"),
                new Tlv(UNKNOWN_EVEN, UNKNOWN_VALUE),
                new Tlv(TlvType.KEY_SHARE, KeyShare.fromPrivate(INITIATOR_PRIVATE).publicKey()));
        return new Setup(0, Limits.DEFAULT_HOP_LIMIT, false, new SkillName(SKILL), INITIATOR, atOrigin);
    }

    /** A.1: the initiator's node edge-a1 sends it (spending no hop), transit pe-sp1 passes it on (spending one). */
    static Setup setupFullPacket() {
        return setupAtOrigin().forwarded(0x0000_0005, "edge-a1", 0).forwarded(LINK_LABEL, "pe-sp1", 1);
    }

    @Test
    void setupFull() {
        KeyShare initiator = KeyShare.fromPrivate(INITIATOR_PRIVATE);
        byte[] encoded = drain(setupFullPacket().encode(ALLOC));

        byte[] m = concat(
                tlv(0x01, varint(TENANT)), tlv(0x03, ascii(REGIONS)), tlv(0x05, ascii(ATTRIBUTES)),
                tlv(0x07, varint(MAX_LATENCY)), tlv(0x04, ascii(TRACEPARENT)), tlv(0x0a, AFFINITY),
                tlv(0x09, ascii("bhttp")), tlv(UNKNOWN_EVEN, UNKNOWN_VALUE), tlv(0x02, initiator.publicKey()),
                tlv(0x06, ascii("edge-a1")), tlv(0x06, ascii("pe-sp1")));
        Dump d = new Dump()
                .field("header: version 0, SETUP, flags R|I|M (0xe0), hop limit 15, label 0x80000001",
                        header(0x01, 0xe0, 15, LINK_LABEL))
                .field("R: length 25", varint(25))
                .field("R: \"" + SKILL + "\"", ascii(SKILL))
                .field("I: length 24", varint(24))
                .field("I: \"" + INITIATOR + "\"", ascii(INITIATOR))
                .field("M: length " + m.length + " (2-byte varint)", varint(m.length))
                .field("TLV 0x01 TENANT, length 1: 7", tlv(0x01, varint(TENANT)))
                .field("TLV 0x03 ALLOWED_REGIONS, length 18: \"" + REGIONS + "\"", tlv(0x03, ascii(REGIONS)))
                .field("TLV 0x05 REQUIRED_ATTRIBUTES, length 8: \"" + ATTRIBUTES + "\"", tlv(0x05, ascii(ATTRIBUTES)))
                .field("TLV 0x07 MAX_LATENCY_MS, length 2: 250 (2-byte varint)", tlv(0x07, varint(MAX_LATENCY)))
                .field("TLV 0x04 TRACEPARENT, length 55", tlv(0x04, ascii(TRACEPARENT)))
                .field("TLV 0x0a AFFINITY_KEY, length 10: \"order-1234\"", tlv(0x0a, AFFINITY))
                .field("TLV 0x09 PAYLOAD_PROTOCOL, length 5: \"bhttp\"", tlv(0x09, ascii("bhttp")))
                .field("TLV 0x40 (unknown, even: carried on), length 2", tlv(UNKNOWN_EVEN, UNKNOWN_VALUE))
                .field("TLV 0x02 KEY_SHARE, length 32: X25519 public key", tlv(0x02, initiator.publicKey()))
                .field("TLV 0x06 TRAJECTORY, length 7: \"edge-a1\"", tlv(0x06, ascii("edge-a1")))
                .field("TLV 0x06 TRAJECTORY, length 6: \"pe-sp1\"", tlv(0x06, ascii("pe-sp1")));
        d.check("setup-full", encoded);

        Setup back = decodeSetup(encoded);
        assertEquals(LINK_LABEL, back.label());
        assertEquals(15, back.hopLimit());
        assertFalse(back.datagramMode());
        assertEquals(SKILL, back.responder().value());
        assertEquals(INITIATOR, back.initiator());
        assertEquals(11, back.metadata().tlvs().size());
        assertEquals(List.of("edge-a1", "pe-sp1"), back.metadata().trajectory());
        assertEquals(-1, back.metadata().unknownMustUnderstand());
        assertArrayEquals(UNKNOWN_VALUE, back.metadata().first(UNKNOWN_EVEN).orElseThrow().value());
        assertArrayEquals(encoded, drain(back.encode(ALLOC)), "decode then encode gives the same bytes");
    }

    @Test
    void setupDatagram() {
        byte[] encoded = drain(setupDatagramPacket().encode(ALLOC));
        byte[] share = KeyShare.fromPrivate(INITIATOR_PRIVATE).publicKey();
        Dump d = new Dump()
                .field("header: version 0, SETUP, flags R|M|DATAGRAM_MODE (0xa8), hop limit 16, label 0x00000001",
                        header(0x01, 0xa8, 16, ACCEPTOR_LABEL))
                .field("R: length 13", varint(13))
                .field("R: \"" + DGRAM_SKILL + "\"", ascii(DGRAM_SKILL))
                .field("M: length 34", varint(34))
                .field("TLV 0x02 KEY_SHARE, length 32", tlv(0x02, share));
        d.check("setup-datagram", encoded);

        Setup back = decodeSetup(encoded);
        assertTrue(back.datagramMode());
        assertEquals("", back.initiator(), "no I flag: anonymous initiator");
    }

    static Setup setupDatagramPacket() {
        byte[] share = KeyShare.fromPrivate(INITIATOR_PRIVATE).publicKey();
        return new Setup(ACCEPTOR_LABEL, Limits.DEFAULT_HOP_LIMIT, true, new SkillName(DGRAM_SKILL), "",
                Metadata.of(new Tlv(TlvType.KEY_SHARE, share)));
    }

    // ------------------------------------------------------------------ SETUP_ACK

    @Test
    void setupAck() throws MalformedPacketException {
        byte[] share = KeyShare.fromPrivate(RESPONDER_PRIVATE).publicKey();
        byte[] encoded = drain(setupAckPacket().encode(ALLOC));
        byte[] m = concat(tlv(0x02, share), tlv(0x08, ascii(INSTANCE)), tlv(0x0c, FAKE_CERT), tlv(0x0e, FAKE_PROOF),
                tlv(0x06, ascii("edge-a2")));
        Dump d = new Dump()
                .field("header: version 0, SETUP_ACK, flags M (0x20), hop limit 0, label 0x80000001",
                        header(0x02, 0x20, 0, LINK_LABEL))
                .field("M: length " + m.length + " (2-byte varint)", varint(m.length))
                .field("TLV 0x02 KEY_SHARE, length 32: responder's X25519 public key", tlv(0x02, share))
                .field("TLV 0x08 SELECTED_INSTANCE, length 14: \"" + INSTANCE + "\"", tlv(0x08, ascii(INSTANCE)))
                .field("TLV 0x0c SKILL_CERTIFICATE, length 15 (fake; DER in practice)", tlv(0x0c, FAKE_CERT))
                .field("TLV 0x0e SKILL_PROOF, length 10 (fake; ECDSA DER in practice)", tlv(0x0e, FAKE_PROOF))
                .field("TLV 0x06 TRAJECTORY, length 7: \"edge-a2\"", tlv(0x06, ascii("edge-a2")));
        d.check("setup-ack", encoded);

        ByteBuf b = Unpooled.wrappedBuffer(encoded);
        try {
            assertEquals(PacketType.SETUP_ACK, Header.validate(b));
            SetupAck back = SetupAck.decode(b);
            assertEquals(LINK_LABEL, back.label());
            assertEquals(INSTANCE, back.metadata().string(TlvType.SELECTED_INSTANCE).orElseThrow());
            assertEquals(List.of("edge-a2"), back.metadata().trajectory());
        } finally {
            b.release();
        }
    }

    static SetupAck setupAckPacket() {
        SetupAck atResponder = new SetupAck(0, Metadata.of(
                new Tlv(TlvType.KEY_SHARE, KeyShare.fromPrivate(RESPONDER_PRIVATE).publicKey()),
                Tlv.ofString(TlvType.SELECTED_INSTANCE, INSTANCE),
                new Tlv(TlvType.SKILL_CERTIFICATE, FAKE_CERT),
                new Tlv(TlvType.SKILL_PROOF, FAKE_PROOF)));
        // The responder's node edge-a2 passes it from the responder's endpoint to the link toward pe-sp1.
        return atResponder.forwarded(LINK_LABEL, "edge-a2");
    }

    // ------------------------------------------------------------------ key schedule

    /** The responder's side: built from the SETUP of A.1 as it arrived at edge-a2, trajectory and all. */
    static Transcript connectionTranscript() {
        return new Transcript(false, SKILL, INITIATOR, decodeSetup(drain(setupFullPacket().encode(ALLOC))).metadata()
                .endToEnd(), KeyShare.fromPrivate(INITIATOR_PRIVATE).publicKey(),
                KeyShare.fromPrivate(RESPONDER_PRIVATE).publicKey(), FAKE_CERT, INSTANCE);
    }

    static Transcript datagramTranscript() {
        return new Transcript(true, DGRAM_SKILL, "", setupDatagramPacket().metadata().endToEnd(),
                KeyShare.fromPrivate(INITIATOR_PRIVATE).publicKey(), KeyShare.fromPrivate(RESPONDER_PRIVATE).publicKey(),
                FAKE_CERT, DGRAM_INSTANCE);
    }

    @Test
    void transcript() throws Exception {
        Transcript t = connectionTranscript();
        byte[] share = KeyShare.fromPrivate(INITIATOR_PRIVATE).publicKey();
        // The end-to-end TLVs rebuilt from §7.2's rule: A.1's metadata in order, without its two TRAJECTORY TLVs.
        byte[] m = concat(
                tlv(0x01, varint(TENANT)), tlv(0x03, ascii(REGIONS)), tlv(0x05, ascii(ATTRIBUTES)),
                tlv(0x07, varint(MAX_LATENCY)), tlv(0x04, ascii(TRACEPARENT)), tlv(0x0a, AFFINITY),
                tlv(0x09, ascii("bhttp")), tlv(UNKNOWN_EVEN, UNKNOWN_VALUE), tlv(0x02, share));
        assertEquals(HexFormat.of().formatHex(m), HexFormat.of().formatHex(t.setupMetadata()),
                "the field-by-field construction disagrees with Metadata.endToEnd()");
        assertArrayEquals(setupAtOrigin().metadata().endToEnd(), t.setupMetadata(),
                "the initiator, from the SETUP it sent, hashes the same TLVs as the responder from the one it received");
        Dump d = new Dump()
                .field("context \"acip/0 transcript\" (17 bytes, no length)", ascii("acip/0 transcript"))
                .field("mode: 0 = connection, 1 = datagram", new byte[] {0})
                .field("responder skill: varint length 25, UTF-8", varint(25), ascii(SKILL))
                .field("initiator identity: varint length 24, UTF-8", varint(24), ascii(INITIATOR))
                .field("SETUP metadata: varint length " + m.length + " (2-byte varint)", varint(m.length))
                .field("TLV 0x01 TENANT", tlv(0x01, varint(TENANT)))
                .field("TLV 0x03 ALLOWED_REGIONS", tlv(0x03, ascii(REGIONS)))
                .field("TLV 0x05 REQUIRED_ATTRIBUTES", tlv(0x05, ascii(ATTRIBUTES)))
                .field("TLV 0x07 MAX_LATENCY_MS", tlv(0x07, varint(MAX_LATENCY)))
                .field("TLV 0x04 TRACEPARENT", tlv(0x04, ascii(TRACEPARENT)))
                .field("TLV 0x0a AFFINITY_KEY", tlv(0x0a, AFFINITY))
                .field("TLV 0x09 PAYLOAD_PROTOCOL", tlv(0x09, ascii("bhttp")))
                .field("TLV 0x40 (unknown, even)", tlv(UNKNOWN_EVEN, UNKNOWN_VALUE))
                .field("TLV 0x02 KEY_SHARE (the initiator's, again below)", tlv(0x02, share))
                .field("initiator key share: varint length 32", varint(32), t.initiatorShare())
                .field("responder key share: varint length 32", varint(32), t.responderShare())
                .field("skill certificate: varint length 15, the DER bytes", varint(15), FAKE_CERT)
                .field("selected instance: varint length 14, UTF-8", varint(14), ascii(INSTANCE));
        d.checkText("transcript-input");
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(d.bytes()), t.hash(),
                "the transcript hash is SHA-256 of exactly this input");
    }

    @Test
    void handshakeKeys() throws Exception {
        KeyShare initiator = KeyShare.fromPrivate(INITIATOR_PRIVATE);
        KeyShare responder = KeyShare.fromPrivate(RESPONDER_PRIVATE);
        byte[] secret = initiator.agree(responder.publicKey());
        assertArrayEquals(RFC7748_SHARED, secret, "RFC 7748 §6.1");
        assertArrayEquals(secret, responder.agree(initiator.publicKey()));
        byte[] hash = connectionTranscript().hash();
        SessionKeys keys = SessionKeys.derive(secret, hash);
        Values v = new Values()
                .add("initiator_private", INITIATOR_PRIVATE)
                .add("initiator_share", initiator.publicKey())
                .add("responder_private", RESPONDER_PRIVATE)
                .add("responder_share", responder.publicKey())
                .add("shared_secret", secret)
                .add("transcript_hash", hash)
                .add("prk", Hkdf.extract(hash, secret))
                .add("info_i2r_key", Hkdf.hkdfLabel("acip ", "i2r key", new byte[0], 16))
                .add("info_i2r_iv", Hkdf.hkdfLabel("acip ", "i2r iv", new byte[0], 12))
                .add("info_r2i_key", Hkdf.hkdfLabel("acip ", "r2i key", new byte[0], 16))
                .add("info_r2i_iv", Hkdf.hkdfLabel("acip ", "r2i iv", new byte[0], 12))
                .add("i2r_key", keys.initiatorToResponder().key())
                .add("i2r_iv", keys.initiatorToResponder().iv())
                .add("r2i_key", keys.responderToInitiator().key())
                .add("r2i_iv", keys.responderToInitiator().iv());
        v.check("handshake-keys");
    }

    /**
     * A.13: the ticket A.5's handshake leaves, and a later session resumed under it: SETUP metadata TENANT 7,
     * PAYLOAD_PROTOCOL bhttp and RESUME; nonces 00..0f (initiator) and 10..1f (responder).
     */
    @Test
    void resumption() throws Exception {
        byte[] secret = KeyShare.fromPrivate(INITIATOR_PRIVATE).agree(KeyShare.fromPrivate(RESPONDER_PRIVATE).publicKey());
        KeySchedule full = KeySchedule.of(secret, connectionTranscript().hash());
        byte[] initiatorNonce = WireHex.bytes("000102030405060708090a0b0c0d0e0f");
        byte[] responderNonce = WireHex.bytes("101112131415161718191a1b1c1d1e1f");
        Metadata setup = Metadata.of(Tlv.ofVarInt(TlvType.TENANT, TENANT), Tlv.ofString(TlvType.PAYLOAD_PROTOCOL, "bhttp"),
                new Tlv(TlvType.RESUME, concat(full.ticketId(), initiatorNonce)));
        byte[] hash = new Transcript(false, SKILL, INITIATOR, setup.endToEnd(), initiatorNonce, responderNonce,
                new byte[0], INSTANCE).hash();
        KeySchedule resumed = KeySchedule.of(full.resumptionSecret(), hash);
        SessionKeys keys = resumed.sessionKeys();
        new Values()
                .add("ticket_id", full.ticketId())
                .add("resumption_secret", full.resumptionSecret())
                .add("setup_metadata", setup.endToEnd())
                .add("transcript_hash", hash)
                .add("prk", Hkdf.extract(hash, full.resumptionSecret()))
                .add("resume_proof", resumed.resumeProof())
                .add("resume_ack_tlv", tlv(TlvType.RESUME_ACK, concat(responderNonce, resumed.resumeProof())))
                .add("i2r_key", keys.initiatorToResponder().key())
                .add("i2r_iv", keys.initiatorToResponder().iv())
                .add("r2i_key", keys.responderToInitiator().key())
                .add("r2i_iv", keys.responderToInitiator().iv())
                .check("resumption");
    }

    // RFC 6979 A.2.5's P-256 key: the signer's RFC 6979 nonces can then be checked against that RFC as well.
    static final byte[] NODE_PRIVATE = WireHex.bytes("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
    static final byte[] NODE_PUBLIC = WireHex.bytes("0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
            + "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299");
    static final List<String> GROUPS = List.of("payments", "eu-staff");
    static final byte[] FAKE_NODE_CERT = "fake-node-cert".getBytes(US_ASCII);

    /**
     * A.14: node {@code edge-a1} attests A.1's initiator with two groups, over A.1's key share. The node key is fixed
     * and signatures use RFC 6979 nonces, so the signature is checked byte for byte too; it is also verified with the
     * public key, and the TLV decodes back to what was encoded.
     */
    @Test
    void initiatorAttestation() throws Exception {
        java.security.PrivateKey key = p256Private(NODE_PRIVATE);
        assertRfc6979(key);
        byte[] share = KeyShare.fromPrivate(INITIATOR_PRIVATE).publicKey();
        byte[] input = InitiatorAttestation.signatureInput(SKILL, TENANT, INITIATOR, GROUPS, share);
        byte[] groupsField = concat(varint(8), ascii("payments"), varint(8), ascii("eu-staff"));
        new Dump()
                .field("context \"acip/0 initiator attestation\" (28 bytes, no length)",
                        ascii("acip/0 initiator attestation"))
                .field("responder skill: varint length 25, UTF-8", varint(25), ascii(SKILL))
                .field("tenant: varint 7", varint(TENANT))
                .field("initiator identity: varint length 24, the SETUP's I", varint(24), ascii(INITIATOR))
                .field("groups: varint length 18, then each group as vbytes", varint(groupsField.length))
                .field("group \"payments\"", varint(8), ascii("payments"))
                .field("group \"eu-staff\"", varint(8), ascii("eu-staff"))
                .field("handshake contribution: varint length 32, A.1's KEY_SHARE value", varint(32), share)
                .check("attestation-input", input);

        InitiatorAttestation signed = new AttestationSigner(key, FAKE_NODE_CERT).sign(SKILL, TENANT, INITIATOR, GROUPS,
                share);
        byte[] signature = signed.signature();
        java.security.Signature verify = java.security.Signature.getInstance("SHA256withECDSA");
        verify.initVerify(p256Public(NODE_PUBLIC));
        verify.update(input);
        assertTrue(verify.verify(signature), "the vector's signature verifies with the JDK's ECDSA");
        new Values()
                .add("node_private", NODE_PRIVATE)
                .add("node_public", NODE_PUBLIC)
                .add("input_sha256", MessageDigest.getInstance("SHA-256").digest(input))
                .add("signature", signature)
                .check("attestation-signature");

        byte[] value = signed.encode();
        byte[] tlv = drain(encodeTlv(new Tlv(TlvType.INITIATOR_ATTESTATION, value)));
        new Dump()
                .field("TLV type 0x14 INITIATOR_ATTESTATION", varint(0x14))
                .field("TLV length " + value.length + " (2-byte varint)", varint(value.length))
                .field("groups: varint length 18", varint(groupsField.length), groupsField)
                .field("node certificate: varint length 14 (fake; DER in practice)", varint(FAKE_NODE_CERT.length),
                        FAKE_NODE_CERT)
                .field("signature: ECDSA P-256 SHA-256, DER, to the end of the value", signature)
                .check("attestation-tlv", tlv);
        InitiatorAttestation back = InitiatorAttestation.decode(value);
        assertEquals(GROUPS, back.groups());
        assertArrayEquals(FAKE_NODE_CERT, back.nodeCertificate());
        assertArrayEquals(signature, back.signature());
    }

    /** RFC 6979 A.2.5, SHA-256, message "sample": the signer's nonces are the RFC's. */
    private static void assertRfc6979(java.security.PrivateKey key) throws Exception {
        org.bouncycastle.crypto.signers.ECDSASigner s = new org.bouncycastle.crypto.signers.ECDSASigner(
                new org.bouncycastle.crypto.signers.HMacDSAKCalculator(new org.bouncycastle.crypto.digests.SHA256Digest()));
        s.init(true, org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil.generatePrivateKeyParameter(key));
        java.math.BigInteger[] rs = s.generateSignature(MessageDigest.getInstance("SHA-256").digest(ascii("sample")));
        assertEquals("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716", rs[0].toString(16));
        assertEquals("f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8", rs[1].toString(16));
    }

    private static java.security.PrivateKey p256Private(byte[] scalar) throws Exception {
        java.security.AlgorithmParameters p = java.security.AlgorithmParameters.getInstance("EC");
        p.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.spec.ECParameterSpec spec = p.getParameterSpec(java.security.spec.ECParameterSpec.class);
        return java.security.KeyFactory.getInstance("EC").generatePrivate(
                new java.security.spec.ECPrivateKeySpec(new java.math.BigInteger(1, scalar), spec));
    }

    private static java.security.PublicKey p256Public(byte[] uncompressed) throws Exception {
        java.security.AlgorithmParameters p = java.security.AlgorithmParameters.getInstance("EC");
        p.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.spec.ECParameterSpec spec = p.getParameterSpec(java.security.spec.ECParameterSpec.class);
        java.security.spec.ECPoint w = new java.security.spec.ECPoint(
                new java.math.BigInteger(1, slice(uncompressed, 1, 33)), new java.math.BigInteger(1, slice(uncompressed, 33, 65)));
        return java.security.KeyFactory.getInstance("EC").generatePublic(new java.security.spec.ECPublicKeySpec(w, spec));
    }

    private static ByteBuf encodeTlv(Tlv t) {
        ByteBuf b = Unpooled.buffer();
        new Metadata(List.of(t)).write(b);
        return b;
    }

    // ------------------------------------------------------------------ sealed packets

    @Test
    void dataFin() throws Exception {
        SessionKeys keys = keys(connectionTranscript());
        PacketProtection sealer = keys.sender(true);
        ByteBuf plain = Unpooled.wrappedBuffer(ascii("hello"));
        byte[] encoded = drain(sealer.seal(ALLOC, PacketType.DATA, Flags.FIN, LINK_LABEL, plain));
        plain.release();

        byte[] hdr = header(0x03, 0x01, 0, LINK_LABEL);
        byte[] sealed = gcm(keys.initiatorToResponder(), 0, new byte[] {0, 0x03, 0x01}, ascii("hello"));
        Dump d = new Dump()
                .field("header: version 0, DATA, flags FIN (0x01), hop limit 0, label 0x80000001", hdr)
                .field("packet number 0 (8 bytes); nonce = i2r_iv xor 0", new byte[8])
                .field("ciphertext of \"hello\" (AAD = 00 03 01)", slice(sealed, 0, 5))
                .field("GCM tag", slice(sealed, 5, 21));
        d.check("data-fin", encoded);

        PacketProtection opener = keys.receiver(false);
        ByteBuf in = Unpooled.wrappedBuffer(encoded);
        ByteBuf out = opener.openInOrder(ALLOC, in);
        try {
            assertEquals("hello", out.toString(UTF_8));
        } finally {
            out.release();
            in.release();
        }
    }

    @Test
    void dgram() throws Exception {
        SessionKeys keys = keys(datagramTranscript());
        PacketProtection sealer = keys.sender(true);
        for (int i = 0; i < 3; i++) {
            ByteBuf p = Unpooled.wrappedBuffer(new byte[] {(byte) i});
            sealer.seal(ALLOC, PacketType.DGRAM, 0, ACCEPTOR_LABEL, p).release();
            p.release();
        }
        ByteBuf plain = Unpooled.wrappedBuffer(ascii("udp payload"));
        byte[] encoded = drain(sealer.seal(ALLOC, PacketType.DGRAM, 0, ACCEPTOR_LABEL, plain));
        plain.release();

        byte[] pn = {0, 0, 0, 0, 0, 0, 0, 3};
        byte[] sealed = gcm(keys.initiatorToResponder(), 3, new byte[] {0, 0x04, 0}, ascii("udp payload"));
        Dump d = new Dump()
                .field("header: version 0, DGRAM, flags 0, hop limit 0, label 0x00000001",
                        header(0x04, 0, 0, ACCEPTOR_LABEL))
                .field("packet number 3", pn)
                .field("ciphertext of \"udp payload\" (AAD = 00 04 00)", slice(sealed, 0, 11))
                .field("GCM tag", slice(sealed, 11, 27));
        d.check("dgram", encoded);

        Values v = new Values()
                .add("transcript_hash", datagramTranscript().hash())
                .add("i2r_key", keys.initiatorToResponder().key())
                .add("i2r_iv", keys.initiatorToResponder().iv())
                .add("nonce_pn3", nonce(keys.initiatorToResponder().iv(), 3));
        v.check("dgram-keys");

        ByteBuf in = Unpooled.wrappedBuffer(encoded);
        ByteBuf out = keys.receiver(false).openDatagram(ALLOC, in);
        try {
            assertEquals("udp payload", out.toString(UTF_8));
        } finally {
            out.release();
            in.release();
        }
    }

    // ------------------------------------------------------------------ packets without optional fields

    @Test
    void reset() throws MalformedPacketException {
        String detail = "no route to " + SKILL + " in tenant 7 at node pe-sp1";
        byte[] encoded = drain(new Reset(0x0000_0005, ResetCode.SKILL_UNREACHABLE, detail).encode(ALLOC));
        Dump d = new Dump()
                .field("header: version 0, RESET, flags 0, hop limit 0, label 0x00000005", header(0x06, 0, 0, 5))
                .field("code: varint 0x01 skill_unreachable", varint(0x01))
                .field("detail: UTF-8 to the end of the packet", ascii(detail));
        d.check("reset", encoded);

        ByteBuf b = Unpooled.wrappedBuffer(encoded);
        try {
            Reset back = Reset.decode(b);
            assertEquals(ResetCode.SKILL_UNREACHABLE, back.code());
            assertEquals(detail, back.detail());
            assertEquals(5, back.label());
        } finally {
            b.release();
        }
    }

    @Test
    void close() {
        byte[] encoded = drain(Packets.close(ALLOC, LINK_LABEL));
        new Dump().field("header: version 0, CLOSE, flags 0, hop limit 0, label 0x80000001",
                header(0x05, 0, 0, LINK_LABEL)).check("close", encoded);
    }

    @Test
    void pingAndPong() throws MalformedPacketException {
        long opaque = 0x0123_4567_89ab_cdefL;
        byte[] ping = drain(Packets.ping(ALLOC, 0, false, opaque));
        new Dump()
                .field("header: version 0, PING, flags 0, hop limit 0, label 0 (link PING)", header(0x07, 0, 0, 0))
                .field("opaque, 8 bytes", WireHex.bytes("0123456789abcdef"))
                .check("ping", ping);
        byte[] pong = drain(Packets.ping(ALLOC, 0, true, opaque));
        new Dump()
                .field("header: version 0, PING, flags PONG (0x02), hop limit 0, label 0", header(0x07, 0x02, 0, 0))
                .field("opaque echoed", WireHex.bytes("0123456789abcdef"))
                .check("pong", pong);
        ByteBuf b = Unpooled.wrappedBuffer(pong);
        try {
            assertEquals(opaque, Packets.pingOpaque(b));
        } finally {
            b.release();
        }
    }

    @Test
    void streamFrame() {
        byte[] packet = drain(setupAckPacket().encode(ALLOC));
        byte[] prefix = drain(PacketFrameDecoder.prefix(ALLOC, packet.length));
        byte[] framed = concat(prefix, packet);
        new Dump()
                .field("frame length: varint " + packet.length + " (2-byte form: 0x4000 | " + packet.length + ")",
                        varint(packet.length))
                .field("the SETUP_ACK above, " + packet.length + " bytes", packet)
                .check("stream-frame", framed);

        // The decoder finds the packet again across a split inside the length prefix.
        EmbeddedChannel ch = new EmbeddedChannel(new PacketFrameDecoder());
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(framed, 0, 1));
            assertNull(ch.readInbound(), "half a length prefix is not a packet");
            ch.writeInbound(Unpooled.wrappedBuffer(framed, 1, framed.length - 1));
            ByteBuf got = ch.readInbound();
            assertNotNull(got);
            assertArrayEquals(packet, drain(got));
        } finally {
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    // ------------------------------------------------------------------ helpers

    static SessionKeys keys(Transcript t) throws Exception {
        byte[] secret = KeyShare.fromPrivate(INITIATOR_PRIVATE).agree(KeyShare.fromPrivate(RESPONDER_PRIVATE).publicKey());
        return SessionKeys.derive(secret, t.hash());
    }

    /** AES-128-GCM straight from the JCE: ciphertext || tag, for checking the sealer independently. */
    static byte[] gcm(PacketProtection.Keys k, long pn, byte[] aad, byte[] plaintext) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k.key(), "AES"), new GCMParameterSpec(128, nonce(k.iv(), pn)));
        c.updateAAD(aad);
        return c.doFinal(plaintext);
    }

    static byte[] nonce(byte[] iv, long pn) {
        byte[] n = iv.clone();
        for (int i = 0; i < 8; i++) n[11 - i] ^= (byte) (pn >>> (8 * i));
        return n;
    }

    private static Setup decodeSetup(byte[] encoded) {
        ByteBuf b = Unpooled.wrappedBuffer(encoded);
        try {
            assertEquals(PacketType.SETUP, Header.validate(b));
            return Setup.decode(b);
        } catch (MalformedPacketException e) {
            return fail(e);
        } finally {
            b.release();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(UTF_8);
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    /**
     * An annotated hex dump: one field per group of lines, 16 bytes a line, the field's comment after {@code #} on
     * its first line. The bytes of a line are everything before the {@code #}.
     */
    static final class Dump {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final StringBuilder text = new StringBuilder();

        Dump field(String comment, byte[]... parts) {
            byte[] b = concat(parts);
            bytes.writeBytes(b);
            for (int off = 0; off < b.length; off += 16) {
                StringBuilder line = new StringBuilder();
                for (int i = off; i < Math.min(b.length, off + 16); i++) {
                    if (i > off) line.append(' ');
                    line.append(String.format(Locale.ROOT, "%02x", b[i] & 0xff));
                }
                if (off == 0) {
                    while (line.length() < 47) line.append(' ');
                    line.append("  # ").append(comment);
                }
                text.append(line).append('\n');
            }
            return this;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }

        /** The annotation adds up to the encoder's bytes, and the doc shows exactly this dump. */
        void check(String vector, byte[] encoded) {
            assertEquals(HexFormat.of().formatHex(encoded), HexFormat.of().formatHex(bytes()),
                    vector + ": the field-by-field construction disagrees with the encoder");
            byte[] inDoc = hexOf(Doc.block(vector, text.toString()));
            assertEquals(HexFormat.of().formatHex(encoded), HexFormat.of().formatHex(inDoc),
                    vector + ": the bytes in docs/acip-v0.md differ from the encoder's" + Doc.paste(vector, text.toString()));
            checkText(vector);
        }

        void checkText(String vector) {
            assertEquals(text.toString(), Doc.block(vector, text.toString()),
                    vector + ": the block in docs/acip-v0.md differs" + Doc.paste(vector, text.toString()));
        }

        private static byte[] hexOf(String block) {
            StringBuilder hex = new StringBuilder();
            for (String line : block.split("\n")) {
                int hash = line.indexOf('#');
                hex.append((hash < 0 ? line : line.substring(0, hash)).replaceAll("\\s", ""));
            }
            return HexFormat.of().parseHex(hex);
        }
    }

    /** Named values, one per line: {@code name  hex}. */
    static final class Values {
        private final StringBuilder text = new StringBuilder();

        Values add(String name, byte[] value) {
            text.append(String.format(Locale.ROOT, "%-18s %s\n", name, HexFormat.of().formatHex(value)));
            return this;
        }

        void check(String vector) {
            String expected = text.toString();
            assertEquals(expected, Doc.block(vector, expected),
                    vector + ": the values in docs/acip-v0.md differ" + Doc.paste(vector, expected));
        }
    }

    /** Reads the fenced block that follows {@code <!-- vector: name -->} in docs/acip-v0.md. */
    static final class Doc {
        private static List<String> lines;

        static synchronized String block(String vector, String expected) {
            if (lines == null) {
                try {
                    lines = Files.readAllLines(path(), UTF_8);
                } catch (IOException e) {
                    return fail("cannot read docs/acip-v0.md: " + e);
                }
            }
            String marker = "<!-- vector: " + vector + " -->";
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).trim().equals(marker)) continue;
                int open = i + 1;
                while (open < lines.size() && lines.get(open).isBlank()) open++;
                if (open == lines.size() || !lines.get(open).startsWith("```")) break;
                List<String> body = new ArrayList<>();
                for (int j = open + 1; j < lines.size(); j++) {
                    if (lines.get(j).startsWith("```")) {
                        StringBuilder b = new StringBuilder();
                        for (String l : body) b.append(l).append('\n');
                        return b.toString();
                    }
                    body.add(lines.get(j));
                }
                break;
            }
            return fail("docs/acip-v0.md has no block for vector '" + vector + "'" + paste(vector, expected));
        }

        static String paste(String vector, String expected) {
            return "\n---- paste into docs/acip-v0.md ----\n<!-- vector: " + vector + " -->\n```\n" + expected
                    + "```\n----";
        }

        static Path path() {
            String root = System.getProperty("maven.multiModuleProjectDirectory");
            List<Path> tries = new ArrayList<>();
            if (root != null) tries.add(Path.of(root, "docs", "acip-v0.md"));
            tries.add(Path.of("..", "docs", "acip-v0.md")); // surefire runs in the module directory
            tries.add(Path.of("docs", "acip-v0.md"));
            for (Path p : tries) if (Files.isRegularFile(p)) return p;
            return tries.get(0);
        }
    }
}
