package io.acip.wire;

import static io.acip.wire.WireHex.drain;
import static io.acip.wire.WireHex.header;
import static io.acip.wire.WireHex.tlv;
import static io.acip.wire.WireHex.varint;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acip.control.Announcement;
import io.acip.control.ControlMessage;
import io.acip.control.Notification;
import io.acip.control.NotificationCode;
import io.acip.control.Open;
import io.acip.control.RouteAttributes;
import io.acip.control.RouteKey;
import io.acip.control.Update;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The control channel's vectors of docs/acip-v0.md (A.15 to A.17), checked byte for byte as {@link SpecVectorsTest}
 * checks the session packets: encoded by the codec, rebuilt field by field from §12, and decoded back.
 */
class ControlVectorsTest {
    static final long TENANT = SpecVectorsTest.TENANT;
    static final String SKILL = SpecVectorsTest.SKILL;

    @Test
    void open() throws MalformedPacketException {
        Open open = new Open("edge-a2", 15_000, Metadata.of(Tlv.ofVarInt(Open.MAX_PREFIXES, 10_000)));
        byte[] encoded = drain(open.encode(SpecVectorsTest.ALLOC));
        new SpecVectorsTest.Dump()
                .field("header: version 0, OPEN, flags 0, hop limit 0, label 0 (the link's own)", header(0x08, 0, 0, 0))
                .field("node ID: length 7, \"edge-a2\"", varint(7), ascii("edge-a2"))
                .field("hold time: 15000 ms (2-byte varint)", varint(15_000))
                .field("capabilities: length 4", varint(4))
                .field("capability 0x02 MAX_PREFIXES, length 2: 10000", tlv(0x02, varint(10_000)))
                .check("control-open", encoded);
        Open back = (Open) decode(encoded);
        assertEquals("edge-a2", back.nodeId());
        assertEquals(15_000, back.holdTimeMs());
        assertEquals(10_000, back.maxPrefixes());
        assertRoundTrip(encoded);
    }

    @Test
    void update() throws MalformedPacketException {
        Metadata attrs = new Metadata(new java.util.ArrayList<>(new RouteAttributes(RouteAttributes.ORIGIN_ATTACHED,
                "eu-west", Map.of("pci", "true"), 250, 12).encode().tlvs()))
                .with(new Tlv(SpecVectorsTest.UNKNOWN_EVEN, SpecVectorsTest.UNKNOWN_VALUE));
        Update update = new Update(List.of(new RouteKey(TENANT, new SkillName("bank-a/payments/refund"))),
                List.of(new Announcement(new RouteKey(TENANT, new SkillName(SKILL)), List.of("pe-sp1", "edge-a2"), attrs)));
        byte[] encoded = drain(update.encode(SpecVectorsTest.ALLOC));
        new SpecVectorsTest.Dump()
                .field("header: version 0, UPDATE, flags 0, hop limit 0, label 0", header(0x09, 0, 0, 0))
                .field("withdrawals: 1", varint(1))
                .field("tenant 7", varint(TENANT))
                .field("prefix: length 22, \"bank-a/payments/refund\"", varint(22), ascii("bank-a/payments/refund"))
                .field("announcements: 1", varint(1))
                .field("tenant 7", varint(TENANT))
                .field("prefix: length 25, \"" + SKILL + "\"", varint(25), ascii(SKILL))
                .field("path length 2", varint(2))
                .field("node ID: length 6, \"pe-sp1\" (the sender)", varint(6), ascii("pe-sp1"))
                .field("node ID: length 7, \"edge-a2\" (the origin)", varint(7), ascii("edge-a2"))
                .field("attributes: length 34", varint(34))
                .field("0x02 ORIGIN, length 1: 0 (an attached instance)", tlv(0x02, varint(0)))
                .field("0x04 REGION, length 7: \"eu-west\"", tlv(0x04, ascii("eu-west")))
                .field("0x06 INSTANCE_ATTRIBUTES, length 8: \"pci=true\"", tlv(0x06, ascii("pci=true")))
                .field("0x08 LOAD, length 2: 250 per mille", tlv(0x08, varint(250)))
                .field("0x0a LATENCY_MS, length 1: 12", tlv(0x0a, varint(12)))
                .field("0x40 (unknown, even: carried on), length 2", tlv(0x40, SpecVectorsTest.UNKNOWN_VALUE))
                .check("control-update", encoded);
        Update back = (Update) decode(encoded);
        assertEquals(update.withdrawals(), back.withdrawals());
        assertEquals(List.of("pe-sp1", "edge-a2"), back.announcements().get(0).path());
        assertRoundTrip(encoded);
        assertEquals(new RouteAttributes(0, "eu-west", Map.of("pci", "true"), 250, 12),
                RouteAttributes.of(back.announcements().get(0).attributes()));
    }

    @Test
    void notification() throws MalformedPacketException {
        Notification n = new Notification(NotificationCode.MAX_PREFIXES_EXCEEDED,
                "edge-a1 announced 10001 prefixes, more than 10000");
        byte[] encoded = drain(n.encode(SpecVectorsTest.ALLOC));
        new SpecVectorsTest.Dump()
                .field("header: version 0, NOTIFICATION, flags 0, hop limit 0, label 0", header(0x0a, 0, 0, 0))
                .field("code: varint 0x07 max_prefixes_exceeded", varint(0x07))
                .field("detail: UTF-8 to the end of the packet", ascii(n.detail()))
                .check("control-notification", encoded);
        assertEquals(n, decode(encoded));
        assertRoundTrip(encoded);
    }

    private static ControlMessage decode(byte[] encoded) throws MalformedPacketException {
        ByteBuf b = Unpooled.wrappedBuffer(encoded);
        try {
            return ControlMessage.decode(b);
        } finally {
            b.release();
        }
    }

    /** Decoding then encoding gives the same bytes: unknown fields included, nothing lost. */
    private static void assertRoundTrip(byte[] encoded) throws MalformedPacketException {
        assertArrayEquals(encoded, drain(decode(encoded).encode(SpecVectorsTest.ALLOC)));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(UTF_8);
    }
}
