package io.acip.bench;

import io.acip.wire.Header;
import io.acip.wire.MalformedPacketException;
import io.acip.wire.PacketType;
import io.acip.wire.Sealed;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.collection.IntObjectHashMap;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The transit fast path per DATA packet (docs/acip-v0.md §3.1): validate the fixed header, read the label, find the
 * session's outgoing leg in a label table, write that leg's label. One 1200-byte packet buffer is reused, so nothing
 * is allocated per packet.
 *
 * <p>The table holds {@value #SESSIONS} sessions whose outgoing labels form one random cycle: each invocation's new
 * label is the next invocation's incoming one, so successive packets hit entries scattered over the table (as
 * packets of many sessions interleave) instead of one hot entry.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class AcipHeaderBenchmark {
    static final int PACKET = 1200;
    static final int SESSIONS = 10_000;

    /** What a transit node keeps per leg for forwarding: here, the label to write on the way out. */
    public record OutgoingLeg(int label) {
    }

    /**
     * {@code direct}: a pooled direct buffer. {@code slice}: a retained slice of a larger direct buffer, which is
     * what a link stream's frame decoder hands the node.
     */
    @Param({"direct", "slice"})
    public String buffer;

    private final IntObjectHashMap<OutgoingLeg> table = new IntObjectHashMap<>(2 * SESSIONS);
    private ByteBuf backing;
    private ByteBuf packet;

    @Setup(Level.Trial)
    public void setup() {
        int[] labels = new Random(7).ints().filter(l -> l != 0).distinct().limit(SESSIONS).toArray();
        for (int i = 0; i < SESSIONS; i++) table.put(labels[i], new OutgoingLeg(labels[(i + 1) % SESSIONS]));
        if (buffer.equals("slice")) {
            backing = ByteBufAllocator.DEFAULT.directBuffer(64 * 1024).writeZero(64 * 1024);
            packet = backing.retainedSlice(4096 + 3, PACKET).writerIndex(0);
        } else {
            packet = ByteBufAllocator.DEFAULT.directBuffer(PACKET);
        }
        Header.write(packet, PacketType.DATA, 0, 0, labels[0]);
        packet.writeZero(PACKET - Header.LENGTH);
        if (packet.readableBytes() != PACKET || packet.readableBytes() < Sealed.OVERHEAD) {
            throw new IllegalStateException("packet is " + packet.readableBytes() + " bytes");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        packet.release();
        if (backing != null) backing.release();
    }

    @Benchmark
    public PacketType swapLabel() throws MalformedPacketException {
        PacketType type = Header.validate(packet);
        OutgoingLeg out = table.get(Header.label(packet));
        if (out == null) throw new IllegalStateException("label not in table");
        Header.setLabel(packet, out.label());
        return type;
    }
}
