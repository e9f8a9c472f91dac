package io.acip.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Metadata TLVs (docs/acip-v0.md §4): registry, must-understand rule, order, trajectory. */
class MetadataTest {

    @Test
    void registryCodesAreTheSpecs() {
        assertEquals(0x01, TlvType.TENANT);
        assertEquals(0x02, TlvType.KEY_SHARE);
        assertEquals(0x03, TlvType.ALLOWED_REGIONS);
        assertEquals(0x04, TlvType.TRACEPARENT);
        assertEquals(0x05, TlvType.REQUIRED_ATTRIBUTES);
        assertEquals(0x06, TlvType.TRAJECTORY);
        assertEquals(0x07, TlvType.MAX_LATENCY_MS);
        assertEquals(0x08, TlvType.SELECTED_INSTANCE);
        assertEquals(0x09, TlvType.PAYLOAD_PROTOCOL);
        assertEquals(0x0a, TlvType.AFFINITY_KEY);
        assertEquals(0x0c, TlvType.SKILL_CERTIFICATE);
        assertEquals(0x0e, TlvType.SKILL_PROOF);
    }

    @Test
    void oddTypesMustBeUnderstood() {
        for (long t : new long[] {1, 3, 5, 7, 9, 0x0b, 0x41, (1L << 62) - 1}) assertTrue(TlvType.mustUnderstand(t), "" + t);
        for (long t : new long[] {0, 2, 4, 6, 8, 0x0a, 0x40, (1L << 62) - 2}) assertFalse(TlvType.mustUnderstand(t), "" + t);
    }

    @Test
    void knownTypesAreExactlyTheRegistry() {
        List<Long> known = new ArrayList<>();
        for (long t = 0; t < 0x200; t++) if (TlvType.known(t)) known.add(t);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 0x0aL, 0x0bL, 0x0cL, 0x0eL, 0x10L, 0x12L, 0x14L,
                0x16L),
                known);
    }

    @Test
    void unknownOddTypeIsReportedAndUnknownEvenIsNot() {
        assertEquals(-1, Metadata.EMPTY.unknownMustUnderstand());
        Metadata known = Metadata.of(Tlv.ofVarInt(TlvType.TENANT, 1), Tlv.ofString(TlvType.ALLOWED_REGIONS, "eu"),
                Tlv.ofString(TlvType.REQUIRED_ATTRIBUTES, "a=b"), Tlv.ofVarInt(TlvType.MAX_LATENCY_MS, 5),
                Tlv.ofString(TlvType.PAYLOAD_PROTOCOL, "udp"));
        assertEquals(-1, known.unknownMustUnderstand(), "v0's own odd types are understood");
        assertEquals(-1, known.with(new Tlv(0x40, new byte[1])).with(new Tlv(0x3e, new byte[0])).unknownMustUnderstand(),
                "unknown even types are carried, not refused");
        assertEquals(-1, known.with(new Tlv(TlvType.RESUME, new byte[0])).unknownMustUnderstand());
        assertEquals(0x0d, known.with(new Tlv(0x0d, new byte[0])).unknownMustUnderstand());
        assertEquals(0x4001, known.with(new Tlv(0x40, new byte[0])).with(new Tlv(0x4001, new byte[0]))
                .with(new Tlv(0x0f, new byte[0])).unknownMustUnderstand(), "the first unknown odd type");
    }

    @Test
    void withAppendsAndLeavesTheOriginalAlone() {
        Metadata m = Metadata.of(Tlv.ofString(TlvType.TRACEPARENT, "t"));
        Metadata more = m.with(Tlv.ofString(TlvType.TRAJECTORY, "a")).with(Tlv.ofString(TlvType.TRAJECTORY, "b"));
        assertEquals(1, m.tlvs().size());
        assertEquals(3, more.tlvs().size());
        assertEquals(TlvType.TRACEPARENT, more.tlvs().get(0).type());
        assertEquals(List.of("a", "b"), more.trajectory());
        assertEquals(List.of(), m.trajectory());
    }

    @Test
    void tlvListIsImmutableAndCopied() {
        List<Tlv> list = new ArrayList<>(List.of(Tlv.ofString(TlvType.TRACEPARENT, "t")));
        Metadata m = new Metadata(list);
        list.add(Tlv.ofString(TlvType.TRACEPARENT, "u"));
        assertEquals(1, m.tlvs().size());
        assertThrows(UnsupportedOperationException.class, () -> m.tlvs().add(Tlv.ofString(TlvType.TRACEPARENT, "v")));
    }

    @Test
    void trajectoryKeepsOrderAndIgnoresOtherTypes() {
        Metadata m = Metadata.of(Tlv.ofString(TlvType.TRAJECTORY, "edge"), Tlv.ofVarInt(TlvType.TENANT, 3),
                Tlv.ofString(TlvType.TRAJECTORY, "transit"), Tlv.ofString(TlvType.TRAJECTORY, "far"));
        assertEquals(List.of("edge", "transit", "far"), m.trajectory());
    }

    @Test
    void firstAllAndStringLookups() throws MalformedPacketException {
        Metadata m = Metadata.of(Tlv.ofString(TlvType.ALLOWED_REGIONS, "eu"), Tlv.ofVarInt(TlvType.TENANT, 300),
                Tlv.ofString(TlvType.ALLOWED_REGIONS, "us"));
        assertEquals(Optional.of("eu"), m.string(TlvType.ALLOWED_REGIONS), "the first of a repeated type");
        assertEquals(2, m.all(TlvType.ALLOWED_REGIONS).size());
        assertEquals(300, m.first(TlvType.TENANT).orElseThrow().varInt());
        assertEquals(Optional.empty(), m.first(TlvType.AFFINITY_KEY));
        assertTrue(Metadata.EMPTY.isEmpty());
        assertFalse(m.isEmpty());
    }

    @Test
    void varIntValuesAreShortestAndExactlyOneVarint() throws MalformedPacketException {
        assertArrayEquals(new byte[] {7}, Tlv.ofVarInt(1, 7).value());
        assertArrayEquals(new byte[] {0x41, 0x2c}, Tlv.ofVarInt(1, 300).value());
        assertEquals(300, new Tlv(1, WireHex.bytes("8000012c")).varInt(), "a longer form reads too");
        for (String bad : new String[] {"", "40", "0700", "800001"}) {
            Tlv t = new Tlv(TlvType.TENANT, WireHex.bytes(bad));
            assertThrows(MalformedPacketException.class, t::varInt, bad);
        }
    }

    /**
     * §7.2: the end-to-end TLVs are the metadata as encoded on the wire (§4.1, shortest varints), in order, with
     * every TRAJECTORY left out wherever it sits.
     */
    @Test
    void endToEndIsTheWireEncodingWithoutTrajectory() {
        Metadata m = Metadata.of(Tlv.ofString(TlvType.TRAJECTORY, "edge"), Tlv.ofVarInt(TlvType.TENANT, 300),
                Tlv.ofString(TlvType.ALLOWED_REGIONS, "eu"), Tlv.ofString(TlvType.TRAJECTORY, "transit"),
                new Tlv(0x4000, new byte[] {9}), new Tlv(TlvType.KEY_SHARE, new byte[32]));
        byte[] expected = WireHex.concat(WireHex.tlv(0x01, WireHex.bytes("412c")), WireHex.tlv(0x03, new byte[] {'e', 'u'}),
                WireHex.tlv(0x4000, new byte[] {9}), WireHex.tlv(0x02, new byte[32]));
        assertArrayEquals(expected, m.endToEnd());

        Metadata withoutTrajectory = new Metadata(m.tlvs().stream().filter(t -> t.type() != TlvType.TRAJECTORY).toList());
        byte[] setup = WireHex.drain(new Setup(1, 1, false, new SkillName("a"), "", withoutTrajectory)
                .encode(io.netty.buffer.ByteBufAllocator.DEFAULT));
        byte[] field = java.util.Arrays.copyOfRange(setup, setup.length - expected.length, setup.length);
        assertArrayEquals(field, m.endToEnd(), "the bytes of the SETUP's Metadata field");

        assertArrayEquals(new byte[0], Metadata.EMPTY.endToEnd());
        assertArrayEquals(new byte[0], Metadata.of(Tlv.ofString(TlvType.TRAJECTORY, "n")).endToEnd());
        assertArrayEquals(m.endToEnd(), m.with(Tlv.ofString(TlvType.TRAJECTORY, "far")).endToEnd(),
                "a forwarder's trajectory entry changes nothing");
    }

    /** §4.3: REQUIRED_ATTRIBUTES items are key=value; an item without '=' or with only spaces before it is refused. */
    @Test
    void requiredAttributeItemsNeedAKey() throws MalformedPacketException {
        Metadata ok = Metadata.of(Tlv.ofString(TlvType.REQUIRED_ATTRIBUTES, " pci = true ,, tier=gold"),
                Tlv.ofString(TlvType.REQUIRED_ATTRIBUTES, "empty="));
        assertEquals(java.util.Map.of("pci", "true", "tier", "gold", "empty", ""),
                io.acip.routing.SessionPolicy.from(ok).requiredAttributes(), "trimmed, empty items skipped, repeats merged");
        for (String bad : new String[] {"pci", "=x", " =x", "a=b, =c", "a=b,c"}) {
            Metadata m = Metadata.of(Tlv.ofString(TlvType.REQUIRED_ATTRIBUTES, bad));
            assertThrows(MalformedPacketException.class, () -> io.acip.routing.SessionPolicy.from(m), "'" + bad + "'");
        }
    }

    @Test
    void stringValuesAreUtf8() {
        assertArrayEquals(new byte[] {(byte) 0xc3, (byte) 0xa9}, Tlv.ofString(TlvType.TRAJECTORY, "é").value());
        assertEquals("é", new Tlv(TlvType.TRAJECTORY, new byte[] {(byte) 0xc3, (byte) 0xa9}).string());
    }
}
