package io.acip.wire;

import static io.acip.wire.WireHex.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.acip.capsule.fuzz.AllocationBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Timeout;

/**
 * The ACIP packet decoders (docs/acip-v0.md §3, §4) under Jazzer: nothing a peer sends can crash a node. Contract:
 * every decoder a node may run on a packet returns a value or throws {@link MalformedPacketException}, nothing else,
 * and never consumes the buffer; whatever decodes encodes again into something that decodes to the same; decoding
 * allocates within the packet's size. {@code packets} runs every decoder on any input; {@code setup},
 * {@code setupAck} and {@code reset} force the header's type byte so the fuzzer spends its time in one codec;
 * {@code tlvs} reads a metadata field (TLVs) directly.
 */
@Timeout(10)
class PacketFuzzTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @FuzzTest
    void packets(byte[] input) throws Exception {
        decodeEverything(input);
    }

    @FuzzTest
    void setup(byte[] input) throws Exception {
        decodeEverything(withType(input, PacketType.SETUP));
    }

    @FuzzTest
    void setupAck(byte[] input) throws Exception {
        decodeEverything(withType(input, PacketType.SETUP_ACK));
    }

    @FuzzTest
    void reset(byte[] input) throws Exception {
        decodeEverything(withType(input, PacketType.RESET));
    }

    /** A metadata field of TLVs: read within the limits or refused; what reads writes back to the same bytes. */
    @FuzzTest
    void tlvs(byte[] input) throws Exception {
        Metadata[] read = new Metadata[1];
        AllocationBudget.check(input, AllocationBudget.of(input, 256, 0), () -> {
            ByteBuf b = Unpooled.wrappedBuffer(input);
            try {
                read[0] = Metadata.read(b, input.length);
                assertEquals(input.length, b.readerIndex(), "metadata is read whole");
            } catch (MalformedPacketException refused) {
                read[0] = null;
            }
        });
        Metadata m = read[0];
        if (m == null) return;
        assertTrue(input.length <= Limits.MAX_METADATA && m.tlvs().size() <= Limits.MAX_TLVS);
        ByteBuf out = Unpooled.buffer(m.encodedLength());
        m.write(out);
        Metadata again = Metadata.read(out, out.readableBytes());
        SetupTest.assertSameTlvs(m, again);
        m.unknownMustUnderstand();
        m.trajectory();
        byte[] endToEnd = m.endToEnd();
        assertTrue(endToEnd.length <= input.length);
    }

    private static byte[] withType(byte[] input, PacketType type) {
        if (input.length < 2) return input;
        byte[] b = input.clone();
        b[1] = (byte) type.code;
        return b;
    }

    /** What the decoders made of one packet; null where a decoder refused it. */
    private record Decoded(PacketType type, Setup setup, SetupAck ack, Reset reset) {
    }

    /** Runs every decoder a node may run on a packet, then re-encodes what decoded. */
    private static void decodeEverything(byte[] in) throws Exception {
        ByteBuf b = Unpooled.wrappedBuffer(in);
        Decoded[] decoded = new Decoded[1];
        try {
            AllocationBudget.check(in, AllocationBudget.of(in, 256, 0), () -> {
                decoded[0] = new Decoded((PacketType) refusedAsNull(() -> Header.validate(b)),
                        (Setup) refusedAsNull(() -> Setup.decode(b)),
                        (SetupAck) refusedAsNull(() -> SetupAck.decode(b)),
                        (Reset) refusedAsNull(() -> Reset.decode(b)));
                refusedAsNull(() -> Packets.pingOpaque(b));
                refusedAsNull(() -> {
                    Packets.requireEmpty(b, PacketType.CLOSE);
                    return Boolean.TRUE;
                });
                refusedAsNull(() -> {
                    Sealed.validate(b);
                    return Boolean.TRUE;
                });
            });
            assertEquals(0, b.readerIndex(), "decoders do not consume");
        } finally {
            b.release();
        }
        Decoded d = decoded[0];
        if (d.setup() != null) {
            Setup s = d.setup();
            Setup again = SetupTest.decode(drain(s.encode(ALLOC)));
            assertEquals(s.responder(), again.responder());
            assertEquals(s.initiator(), again.initiator());
            assertEquals(s.datagramMode(), again.datagramMode());
            assertEquals(s.label(), again.label());
            SetupTest.assertSameTlvs(s.metadata(), again.metadata());
            s.metadata().unknownMustUnderstand();
            s.metadata().trajectory();
        }
        if (d.ack() != null) {
            ByteBuf re = d.ack().encode(ALLOC);
            try {
                SetupAck back = SetupAck.decode(re);
                assertEquals(d.ack().label(), back.label());
                SetupTest.assertSameTlvs(d.ack().metadata(), back.metadata());
            } finally {
                re.release();
            }
        }
        if (d.reset() != null) {
            ByteBuf re = d.reset().encode(ALLOC);
            try {
                Reset back = Reset.decode(re);
                assertEquals(d.reset().label(), back.label());
                assertEquals(d.reset().code(), back.code());
                assertEquals(d.reset().detail(), back.detail());
            } finally {
                re.release();
            }
        }
    }

    private interface Decode {
        Object run() throws MalformedPacketException;
    }

    private static Object refusedAsNull(Decode decode) {
        try {
            return decode.run();
        } catch (MalformedPacketException refused) {
            return null;
        }
    }
}
