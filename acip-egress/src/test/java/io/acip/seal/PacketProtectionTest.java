package io.acip.seal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.acip.wire.Flags;
import io.acip.wire.Header;
import io.acip.wire.MalformedPacketException;
import io.acip.wire.PacketType;
import io.acip.wire.Sealed;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AES-128-GCM packet protection (docs/acip-v0.md §7.3). */
class PacketProtectionTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final int LABEL = 0x8000_0001;

    private final SessionKeys keys = SessionKeys.derive(bytes(32, 1), bytes(32, 2));
    private final List<ByteBuf> toRelease = new ArrayList<>();

    @AfterEach
    void release() {
        toRelease.forEach(ByteBuf::release);
    }

    @Test
    void sealLaysOutHeaderPacketNumberCiphertextTag() {
        PacketProtection sealer = keys.sender(true);
        ByteBuf p = seal(sealer, PacketType.DATA, Flags.FIN, "hello");
        assertEquals(Sealed.OVERHEAD + 5, p.readableBytes());
        assertEquals("000301" + "00" + "80000001" + "0000000000000000", ByteBufUtil.hexDump(p, 0, 16),
                "hop limit 0, the label given, packet number 0");
        assertEquals(1, Sealed.packetNumber(seal(sealer, PacketType.DATA, 0, "x")));
        assertEquals(2, Sealed.packetNumber(seal(sealer, PacketType.DATA, 0, "y")));
    }

    @Test
    void sealLeavesThePlaintextBufferAlone() {
        ByteBuf plain = keep(Unpooled.copiedBuffer("hello", UTF_8));
        keep(keys.sender(true).seal(ALLOC, PacketType.DATA, 0, LABEL, plain));
        assertEquals(0, plain.readerIndex());
        assertEquals(5, plain.readableBytes());
    }

    @Test
    void roundTripBothDirections() throws SessionAuthenticationException {
        assertEquals("to responder", open(keys.receiver(false), seal(keys.sender(true), PacketType.DATA, 0, "to responder")));
        assertEquals("to initiator", open(keys.receiver(true), seal(keys.sender(false), PacketType.DATA, 0, "to initiator")));
        assertEquals("", open(keys.receiver(false), seal(keys.sender(true), PacketType.DATA, Flags.FIN, "")),
                "an empty FIN");
        String big = "z".repeat(16 * 1024);
        assertEquals(big, open(keys.receiver(false), seal(keys.sender(true), PacketType.DATA, 0, big)));
    }

    /**
     * Every byte but the hop limit and label is protected: a version other than 0 never gets as far as opening
     * (every node checks the header first, and the AAD holds version 0), type and flags are the rest of the AAD,
     * and everything after the header is covered by GCM (the packet number through the nonce).
     */
    @Test
    void tamperingWithAnyAuthenticatedByteIsRefused() throws SessionAuthenticationException {
        byte[] sealed = ByteBufUtil.getBytes(seal(keys.sender(true), PacketType.DATA, Flags.FIN, "tamper me"));
        for (int i = 0; i < sealed.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] t = sealed.clone();
                t[i] ^= (byte) bit;
                ByteBuf p = keep(Unpooled.wrappedBuffer(t));
                PacketProtection opener = keys.receiver(false);
                if (i >= 3 && i < 8) {
                    assertEquals("tamper me", open(opener, p), "byte " + i + " changes per hop and is not authenticated");
                } else if (i == 0) {
                    assertThrows(MalformedPacketException.class, () -> Header.validate(p), "version");
                    assertThrows(SessionAuthenticationException.class, () -> opener.openInOrder(ALLOC, p),
                            "the opener refuses another version itself");
                } else {
                    assertThrows(SessionAuthenticationException.class, () -> opener.openInOrder(ALLOC, p), "byte " + i);
                }
            }
        }
    }

    @Test
    void tamperedDatagramIsRefusedIncludingItsPacketNumber() throws SessionAuthenticationException {
        PacketProtection sealer = keys.sender(true);
        byte[] sealed = ByteBufUtil.getBytes(seal(sealer, PacketType.DGRAM, 0, "dgram"));
        for (int i : new int[] {1, 2, 8, 15, 16, sealed.length - 1}) {
            byte[] t = sealed.clone();
            t[i] ^= 1;
            PacketProtection opener = keys.receiver(false);
            ByteBuf p = keep(Unpooled.wrappedBuffer(t));
            assertThrows(SessionAuthenticationException.class, () -> opener.openDatagram(ALLOC, p), "byte " + i);
            ByteBuf genuine = keep(Unpooled.wrappedBuffer(sealed.clone())); // opened in place
            assertEquals("dgram", text(opener.openDatagram(ALLOC, genuine)), "the forgery did not move the window");
        }
    }

    @Test
    void wrongKeyOrDirectionIsRefused() {
        ByteBuf p = seal(keys.sender(true), PacketType.DATA, 0, "secret");
        PacketProtection otherSession = SessionKeys.derive(bytes(32, 1), bytes(32, 3)).receiver(false);
        assertThrows(SessionAuthenticationException.class, () -> otherSession.openInOrder(ALLOC, p));
        assertThrows(SessionAuthenticationException.class, () -> keys.receiver(true).openInOrder(ALLOC, p),
                "the initiator's own direction");
        ByteBuf d = seal(keys.sender(true), PacketType.DGRAM, 0, "secret");
        assertThrows(SessionAuthenticationException.class, () -> otherSession.openDatagram(ALLOC, d));
    }

    @Test
    void streamPacketRepeatedIsRefused() throws SessionAuthenticationException {
        PacketProtection sealer = keys.sender(true);
        PacketProtection opener = keys.receiver(false);
        byte[] first = ByteBufUtil.getBytes(seal(sealer, PacketType.DATA, 0, "one"));
        assertEquals("one", open(opener, keep(Unpooled.wrappedBuffer(first))));
        ByteBuf again = keep(Unpooled.wrappedBuffer(first));
        assertThrows(SessionAuthenticationException.class, () -> opener.openInOrder(ALLOC, again));
    }

    @Test
    void streamPacketAfterAGapIsRefusedAndTheStreamStaysWhereItWas() throws SessionAuthenticationException {
        PacketProtection sealer = keys.sender(true);
        PacketProtection opener = keys.receiver(false);
        ByteBuf p0 = seal(sealer, PacketType.DATA, 0, "zero");
        ByteBuf p1 = seal(sealer, PacketType.DATA, 0, "one");
        assertThrows(SessionAuthenticationException.class, () -> opener.openInOrder(ALLOC, p1), "1 before 0");
        assertEquals("zero", open(opener, p0));
        assertEquals("one", open(opener, p1));
    }

    @Test
    void failedStreamPacketDoesNotAdvanceTheExpectedNumber() throws SessionAuthenticationException {
        PacketProtection opener = keys.receiver(false);
        byte[] p0 = ByteBufUtil.getBytes(seal(keys.sender(true), PacketType.DATA, 0, "zero"));
        byte[] forged = p0.clone();
        forged[forged.length - 1] ^= 1;
        ByteBuf f = keep(Unpooled.wrappedBuffer(forged));
        assertThrows(SessionAuthenticationException.class, () -> opener.openInOrder(ALLOC, f));
        assertEquals("zero", open(opener, keep(Unpooled.wrappedBuffer(p0))));
    }

    @Test
    void datagramsMayBeReorderedButNotReplayed() throws SessionAuthenticationException {
        PacketProtection sealer = keys.sender(true);
        List<byte[]> d = new ArrayList<>();
        for (int i = 0; i < 5; i++) d.add(ByteBufUtil.getBytes(seal(sealer, PacketType.DGRAM, 0, "d" + i)));
        PacketProtection opener = keys.receiver(false);
        for (int i : new int[] {3, 1, 4, 0, 2}) {
            assertEquals("d" + i, text(opener.openDatagram(ALLOC, keep(Unpooled.wrappedBuffer(d.get(i))))));
        }
        for (int i = 0; i < 5; i++) {
            assertNull(opener.openDatagram(ALLOC, keep(Unpooled.wrappedBuffer(d.get(i)))), "replay of " + i + " dropped");
        }
    }

    @Test
    void datagramOlderThanTheWindowIsDropped() throws SessionAuthenticationException {
        PacketProtection sealer = keys.sender(true);
        List<byte[]> d = new ArrayList<>();
        for (int i = 0; i < 1100; i++) d.add(ByteBufUtil.getBytes(seal(sealer, PacketType.DGRAM, 0, "d" + i)));
        PacketProtection opener = keys.receiver(false);
        assertNotNull(keep(opener.openDatagram(ALLOC, keep(Unpooled.wrappedBuffer(d.get(1099))))));
        assertNull(opener.openDatagram(ALLOC, keep(Unpooled.wrappedBuffer(d.get(75)))), "1099 - 75 = 1024: too old");
        assertEquals("d76", text(opener.openDatagram(ALLOC, keep(Unpooled.wrappedBuffer(d.get(76))))),
                "1099 - 76 = 1023: inside the window");
    }

    /**
     * The AAD holds the version as 0 whatever the packet says, so the opener must refuse another version itself
     * rather than rely on the header check before it: a version 1 packet would otherwise open as if it were v0.
     */
    @Test
    void anotherVersionIsRefusedByTheOpenerAndMovesNothing() throws SessionAuthenticationException {
        PacketProtection sealer = keys.sender(true);
        byte[] data = ByteBufUtil.getBytes(seal(sealer, PacketType.DATA, 0, "v0 data"));
        byte[] dgram = ByteBufUtil.getBytes(seal(sealer, PacketType.DGRAM, 0, "v0 dgram"));
        PacketProtection opener = keys.receiver(false);
        for (int version : new int[] {1, 0x80, 0xff}) {
            byte[] d = data.clone();
            d[0] = (byte) version;
            ByteBuf p = keep(Unpooled.wrappedBuffer(d));
            assertThrows(SessionAuthenticationException.class, () -> opener.openInOrder(ALLOC, p), "DATA v" + version);
            byte[] g = dgram.clone();
            g[0] = (byte) version;
            ByteBuf q = keep(Unpooled.wrappedBuffer(g));
            assertThrows(SessionAuthenticationException.class, () -> opener.openDatagram(ALLOC, q), "DGRAM v" + version);
        }
        assertEquals("v0 data", open(opener, keep(Unpooled.wrappedBuffer(data))), "the expected number did not move");
        assertEquals("v0 dgram", text(opener.openDatagram(ALLOC, keep(Unpooled.wrappedBuffer(dgram)))),
                "the window did not move");
    }

    /** Fewer bytes than header, packet number and tag: refused as unauthenticated, never read past the end. */
    @Test
    void packetsShorterThanTheSealedOverheadAreRefused() throws SessionAuthenticationException {
        byte[] genuine = ByteBufUtil.getBytes(seal(keys.sender(true), PacketType.DATA, Flags.FIN, ""));
        assertEquals(Sealed.OVERHEAD, genuine.length, "an empty FIN is exactly the overhead");
        PacketProtection opener = keys.receiver(false);
        for (int len = 0; len < Sealed.OVERHEAD; len++) {
            ByteBuf p = keep(Unpooled.wrappedBuffer(java.util.Arrays.copyOf(genuine, len)));
            assertThrows(SessionAuthenticationException.class, () -> opener.openInOrder(ALLOC, p), len + " bytes");
            ByteBuf q = keep(Unpooled.wrappedBuffer(java.util.Arrays.copyOf(genuine, len)));
            assertThrows(SessionAuthenticationException.class, () -> opener.openDatagram(ALLOC, q), len + " bytes");
        }
        assertEquals("", open(opener, keep(Unpooled.wrappedBuffer(genuine))), "the whole packet still opens");
    }

    /** Whatever arrives, the openers only ever refuse it (or, for a datagram, drop it as a replay). */
    @Test
    void arbitraryInputOnlyRaisesSessionAuthenticationException() {
        Random rnd = new Random(0x5ea1);
        byte[] genuine = ByteBufUtil.getBytes(seal(keys.sender(true), PacketType.DATA, 0, "some plaintext"));
        for (int i = 0; i < 2000; i++) {
            byte[] in;
            if (i % 2 == 0) {
                in = new byte[rnd.nextInt(64)];
                rnd.nextBytes(in);
            } else {
                in = java.util.Arrays.copyOf(genuine, rnd.nextInt(genuine.length + 8));
                if (in.length > 0) in[rnd.nextInt(in.length)] ^= (byte) (1 + rnd.nextInt(255));
            }
            for (boolean datagram : new boolean[] {false, true}) {
                ByteBuf p = keep(Unpooled.wrappedBuffer(in));
                PacketProtection opener = keys.receiver(false);
                try {
                    ByteBuf out = datagram ? opener.openDatagram(ALLOC, p) : opener.openInOrder(ALLOC, p);
                    if (out != null) out.release();
                } catch (SessionAuthenticationException expected) {
                    // refused
                } catch (RuntimeException e) {
                    throw new AssertionError(ByteBufUtil.hexDump(in) + " raised " + e, e);
                }
            }
        }
    }

    @Test
    void typeChangeIsDetected() {
        byte[] sealed = ByteBufUtil.getBytes(seal(keys.sender(true), PacketType.DATA, 0, "x"));
        sealed[1] = (byte) PacketType.DGRAM.code;
        ByteBuf p = keep(Unpooled.wrappedBuffer(sealed));
        assertEquals(PacketType.DGRAM.code, Header.typeCode(p));
        assertThrows(SessionAuthenticationException.class, () -> keys.receiver(false).openDatagram(ALLOC, p));
    }

    @Test
    void sealsAreDeterministicForTheSameKeysAndNumber() {
        byte[] a = ByteBufUtil.getBytes(seal(keys.sender(true), PacketType.DATA, 0, "same"));
        byte[] b = ByteBufUtil.getBytes(seal(keys.sender(true), PacketType.DATA, 0, "same"));
        assertArrayEquals(a, b, "nonce = iv xor packet number; nothing random");
    }

    // ------------------------------------------------------------------ helpers

    private ByteBuf seal(PacketProtection sealer, PacketType type, int flags, String text) {
        ByteBuf plain = Unpooled.copiedBuffer(text, UTF_8);
        try {
            return keep(sealer.seal(ALLOC, type, flags, LABEL, plain));
        } finally {
            plain.release();
        }
    }

    private String open(PacketProtection opener, ByteBuf packet) throws SessionAuthenticationException {
        return text(opener.openInOrder(ALLOC, packet));
    }

    private String text(ByteBuf plain) {
        try {
            return plain.toString(UTF_8);
        } finally {
            plain.release();
        }
    }

    private ByteBuf keep(ByteBuf b) {
        toRelease.add(b);
        return b;
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
