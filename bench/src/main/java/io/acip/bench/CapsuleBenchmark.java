package io.acip.bench;

import io.acip.capsule.Capsule;
import io.acip.capsule.CapsuleListener;
import io.acip.capsule.CapsuleParser;
import io.acip.capsule.CodecException;
import io.acip.capsule.DatagramPayload;
import java.nio.ByteBuffer;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The CONNECT-UDP hot path over HTTP/1.1 and HTTP/2: one 1200-byte UDP payload as a DATAGRAM capsule, encoded into a
 * reused buffer, and parsed back (context ID included) as the proxy does per received capsule.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CapsuleBenchmark {
    private static final int PAYLOAD = 1200;

    private final ByteBuffer payload = ByteBuffer.allocate(PAYLOAD);
    private final ByteBuffer out = ByteBuffer.allocate(Capsule.datagramLength(0, PAYLOAD));
    private ByteBuffer wire;
    private Blackhole sink;
    private CapsuleParser parser;

    @Setup
    public void setup(Blackhole bh) {
        sink = bh;
        Capsule.writeDatagram(out, 0, payload);
        wire = out.flip().asReadOnlyBuffer();
        parser = new CapsuleParser(1500, new CapsuleListener() {
            @Override
            public void onCapsule(long type, ByteBuffer value) throws CodecException {
                DatagramPayload p = DatagramPayload.parse(value);
                sink.consume(p.contextId());
                sink.consume(p.data());
            }
        });
    }

    @Benchmark
    public ByteBuffer encode() {
        out.clear();
        Capsule.writeDatagram(out, 0, payload);
        return out;
    }

    @Benchmark
    public void parse() throws CodecException {
        parser.feed(wire.duplicate());
    }

    @Benchmark
    public void encodeAndParse() throws CodecException {
        out.clear();
        Capsule.writeDatagram(out, 0, payload);
        parser.feed(out.flip());
    }
}
