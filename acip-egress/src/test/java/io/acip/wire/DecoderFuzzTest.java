package io.acip.wire;

import static io.acip.wire.WireHex.drain;
import static io.acip.wire.WireHex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Nothing a peer sends can crash a node: random and mutated packets may only ever make the decoders throw
 * {@link MalformedPacketException}. Whatever decodes must encode again into something that decodes to the same.
 */
class DecoderFuzzTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final int CASES = 20_000;

    @Test
    void randomAndMutatedPacketsOnlyRaiseMalformedPacketException() {
        List<byte[]> seeds = seeds();
        Random rnd = new Random(0xac1b);
        int decoded = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] in = switch (i % 3) {
                case 0 -> random(rnd);
                case 1 -> mutate(rnd, seeds.get(rnd.nextInt(seeds.size())));
                default -> splice(rnd, seeds.get(rnd.nextInt(seeds.size())), seeds.get(rnd.nextInt(seeds.size())));
            };
            decoded += decodeEverything(in);
        }
        // The generator must reach past the header checks, or the test proves little.
        assertTrue(decoded > CASES / 10, "only " + decoded + " of " + CASES + " inputs decoded as something");
    }

    /** Runs every decoder a node may run on a packet; returns how many accepted it. */
    private static int decodeEverything(byte[] in) {
        ByteBuf b = Unpooled.wrappedBuffer(in);
        int accepted = 0;
        try {
            PacketType type = null;
            try {
                type = Header.validate(b);
                accepted++;
            } catch (MalformedPacketException expected) {
                // refused
            }
            // The decoders run on short input too: each refuses a buffer shorter than the fixed header itself.
            try {
                Setup s = Setup.decode(b);
                accepted++;
                Setup again = SetupTest.decode(drain(s.encode(ALLOC)));
                assertEquals(s.responder(), again.responder());
                assertEquals(s.initiator(), again.initiator());
                assertEquals(s.datagramMode(), again.datagramMode());
                SetupTest.assertSameTlvs(s.metadata(), again.metadata());
                s.metadata().unknownMustUnderstand();
                s.metadata().trajectory();
            } catch (MalformedPacketException expected) {
                // refused
            }
            try {
                SetupAck a = SetupAck.decode(b);
                accepted++;
                ByteBuf re = a.encode(ALLOC);
                try {
                    SetupTest.assertSameTlvs(a.metadata(), SetupAck.decode(re).metadata());
                } finally {
                    re.release();
                }
            } catch (MalformedPacketException expected) {
                // refused
            }
            try {
                Reset r = Reset.decode(b);
                accepted++;
                ByteBuf re = r.encode(ALLOC);
                try {
                    Reset back = Reset.decode(re);
                    assertEquals(r.code(), back.code());
                    assertEquals(r.detail(), back.detail());
                } finally {
                    re.release();
                }
            } catch (MalformedPacketException expected) {
                // refused
            }
            try {
                Packets.pingOpaque(b);
                accepted++;
            } catch (MalformedPacketException expected) {
                // refused
            }
            try {
                Packets.requireEmpty(b, PacketType.CLOSE);
                accepted++;
            } catch (MalformedPacketException expected) {
                // refused
            }
            try {
                Sealed.validate(b);
                if (type != null && type.sealed()) accepted++;
            } catch (MalformedPacketException expected) {
                // refused
            }
            assertEquals(0, b.readerIndex(), "decoders do not consume");
            return accepted;
        } catch (RuntimeException | AssertionError e) {
            return fail("input " + hex(in) + " raised " + e, e);
        } finally {
            b.release();
        }
    }

    private static List<byte[]> seeds() {
        List<byte[]> out = new ArrayList<>();
        Metadata m = Metadata.of(Tlv.ofVarInt(TlvType.TENANT, 7), Tlv.ofString(TlvType.ALLOWED_REGIONS, "eu,us"),
                Tlv.ofString(TlvType.REQUIRED_ATTRIBUTES, "gpu=true"), Tlv.ofVarInt(TlvType.MAX_LATENCY_MS, 300),
                new Tlv(TlvType.KEY_SHARE, new byte[32]), new Tlv(0x4040, new byte[] {1}),
                Tlv.ofString(TlvType.TRAJECTORY, "n1"));
        out.add(drain(new Setup(0x8000_0001, 16, false, new SkillName("bank-a/payments"), "agent://x", m).encode(ALLOC)));
        out.add(drain(new Setup(1, 3, true, new SkillName("a"), "", Metadata.EMPTY).encode(ALLOC)));
        out.add(drain(new SetupAck(1, Metadata.of(new Tlv(TlvType.KEY_SHARE, new byte[32]),
                Tlv.ofString(TlvType.SELECTED_INSTANCE, "i"), new Tlv(TlvType.SKILL_CERTIFICATE, new byte[20]),
                Tlv.ofString(TlvType.TRAJECTORY, "n"))).encode(ALLOC)));
        out.add(drain(new Reset(2, ResetCode.SKILL_UNREACHABLE, "no route").encode(ALLOC)));
        out.add(WireHex.bytes("00 06 20 00 00000002 03 40 01 00 02 78"));
        out.add(drain(Packets.close(ALLOC, 3)));
        out.add(drain(Packets.ping(ALLOC, 0, true, 42)));
        byte[] data = new byte[40];
        data[1] = 0x03;
        data[2] = 0x01;
        out.add(data);
        return out;
    }

    private static byte[] random(Random rnd) {
        byte[] b = new byte[rnd.nextInt(72)];
        rnd.nextBytes(b);
        if (b.length > 2 && rnd.nextInt(4) > 0) {
            b[0] = 0;
            b[1] = (byte) (1 + rnd.nextInt(7));
            b[2] &= (byte) 0xe9; // mostly flags some type allows
        }
        return b;
    }

    private static byte[] mutate(Random rnd, byte[] seed) {
        byte[] b = seed.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> {
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            case 1 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
            case 2 -> {
                int at = rnd.nextInt(b.length + 1);
                byte[] ins = new byte[1 + rnd.nextInt(4)];
                rnd.nextBytes(ins);
                b = WireHex.concat(Arrays.copyOf(b, at), ins, Arrays.copyOfRange(b, at, b.length));
            }
            default -> {
                // flip one bit of a length-ish byte after the header
                if (b.length > 8) b[8 + rnd.nextInt(b.length - 8)] ^= (byte) (1 << rnd.nextInt(8));
            }
        }
        return b;
    }

    private static byte[] splice(Random rnd, byte[] a, byte[] b) {
        int cut = rnd.nextInt(a.length + 1);
        int from = rnd.nextInt(b.length + 1);
        return WireHex.concat(Arrays.copyOf(a, cut), Arrays.copyOfRange(b, from, b.length));
    }

    @Test
    void everySeedDecodes() {
        for (byte[] seed : seeds()) {
            assertTrue(decodeEverything(seed) >= 2, hex(seed));
        }
    }
}
