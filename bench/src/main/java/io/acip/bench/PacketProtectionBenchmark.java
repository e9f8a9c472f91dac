package io.acip.bench;

import io.acip.seal.PacketProtection;
import io.acip.seal.SessionAuthenticationException;
import io.acip.seal.SessionKeys;
import io.acip.wire.PacketType;
import io.acip.wire.Sealed;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end AES-128-GCM protection (docs/acip-v0.md §7.3) of 1200-byte packets, as the two session ends do it:
 * the initiator seals, the responder opens (DATA strictly in order, DGRAM through the replay window). Every
 * buffer comes from the node's allocator and is released within the operation, as the node does.
 *
 * <p>Opening needs a packet number the receiver has not seen, so there is no open-only benchmark: open costs
 * {@code sealAndOpen* - seal*}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class PacketProtectionBenchmark {
    static final int PACKET = 1200;
    static final int PLAINTEXT = PACKET - Sealed.OVERHEAD;
    private static final int LABEL = 0x8000_0001;

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private PacketProtection sealer;
    private PacketProtection opener;
    private ByteBuf plaintext;

    @Setup
    public void setup() {
        Random random = new Random(11);
        byte[] secret = new byte[32];
        byte[] transcript = new byte[32];
        random.nextBytes(secret);
        random.nextBytes(transcript);
        SessionKeys keys = SessionKeys.derive(secret, transcript);
        sealer = keys.sender(true);
        opener = keys.receiver(false);
        byte[] data = new byte[PLAINTEXT];
        random.nextBytes(data);
        plaintext = alloc.directBuffer(PLAINTEXT).writeBytes(data);
    }

    @TearDown
    public void tearDown() {
        plaintext.release();
    }

    @Benchmark
    public int sealData() {
        ByteBuf p = sealer.seal(alloc, PacketType.DATA, 0, LABEL, plaintext);
        int n = p.readableBytes();
        p.release();
        return n;
    }

    @Benchmark
    public int sealDgram() {
        ByteBuf p = sealer.seal(alloc, PacketType.DGRAM, 0, LABEL, plaintext);
        int n = p.readableBytes();
        p.release();
        return n;
    }

    @Benchmark
    public int sealAndOpenData() throws SessionAuthenticationException {
        ByteBuf p = sealer.seal(alloc, PacketType.DATA, 0, LABEL, plaintext);
        try {
            ByteBuf plain = opener.openInOrder(alloc, p);
            int n = plain.readableBytes();
            plain.release();
            return n;
        } finally {
            p.release();
        }
    }

    @Benchmark
    public int sealAndOpenDgram() throws SessionAuthenticationException {
        ByteBuf p = sealer.seal(alloc, PacketType.DGRAM, 0, LABEL, plaintext);
        try {
            ByteBuf plain = opener.openDatagram(alloc, p);
            int n = plain.readableBytes();
            plain.release();
            return n;
        } finally {
            p.release();
        }
    }
}
