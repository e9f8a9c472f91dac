package io.acip.bench;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.gateway.GatewayMetrics;
import io.acip.gateway.metrics.ExchangeMeters;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.BodySource;
import io.acip.ingress.Exchange;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.ResponseSink;
import io.acip.ingress.WriteCallback;
import io.acip.node.NodeStats;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * What observing one exchange costs the edge (docs/operations.md, Metrics and Logs): the labelled request counter,
 * the exchange wrapped for its status and bytes, its per-skill timer (histogram) on end, and the access log, on (to a
 * handler that drops the line) or off. Run with {@code -prof gc} for the bytes allocated per exchange.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class EdgeMetricsBenchmark {
    @Param({"off", "on"})
    public String accessLog;

    private GatewayMetrics metrics;
    private final BenchExchange exchange = new BenchExchange();
    private final ResponseHead head = new ResponseHead(200, Fields.of("content-type", "text/plain"));
    private final ByteBuffer content = ByteBuffer.allocate(1024);
    private static final WriteCallback DONE = failure -> { };

    @Setup
    public void setUp() {
        metrics = new GatewayMetrics(new NodeStats());
        boolean on = accessLog.equals("on");
        metrics.accessLog(on);
        java.util.logging.Logger log = io.acip.gateway.logs.AccessLog.LOG;
        log.setUseParentHandlers(false); // the line is built and published, then dropped: no I/O measured
        log.setLevel(on ? Level.INFO : Level.OFF);
    }

    @TearDown
    public void tearDown() {
        metrics.close();
    }

    @Benchmark
    public Exchange observedExchange() {
        metrics.exchanges().count("HTTP/2", ExchangeMeters.Outcome.SKILL);
        Exchange e = metrics.exchanges().edge(exchange, System.nanoTime(), "bench/file", "anonymous");
        e.response().head(head, DONE);
        content.clear();
        e.response().content(content, true, DONE);
        exchange.end();
        return e;
    }

    /** An exchange that answers at once and ends when told; reused, as a listener's would not be. */
    static final class BenchExchange implements Exchange, BodySource, ResponseSink {
        private final RequestInfo request = new RequestInfo("GET", "http", "127.0.0.1:8080", "/skills/bench/file/x",
                Fields.EMPTY, "HTTP/2", RequestInfo.Form.ORIGIN, false, null, null);
        private Runnable onEnd;

        void end() {
            Runnable r = onEnd;
            onEnd = null;
            if (r != null) r.run();
        }

        @Override
        public RequestInfo request() {
            return request;
        }

        @Override
        public BodySource body() {
            return this;
        }

        @Override
        public ResponseSink response() {
            return this;
        }

        @Override
        public void onEnd(Runnable action) {
            onEnd = action;
        }

        @Override
        public BodyChunk read() {
            return BodyChunk.end(Fields.EMPTY);
        }

        @Override
        public void demand(Runnable onAvailable) {
            onAvailable.run();
        }

        @Override
        public void abort(Throwable cause) {
        }

        @Override
        public void informational(ResponseHead head) {
        }

        @Override
        public void head(ResponseHead head, WriteCallback done) {
            done.done(null);
        }

        @Override
        public void content(ByteBuffer data, boolean last, WriteCallback done) {
            data.position(data.limit());
            done.done(null);
        }

        @Override
        public void trailers(Fields trailers, WriteCallback done) {
            done.done(null);
        }

        @Override
        public void fail(HttpFailure failure) {
        }

        @Override
        public boolean committed() {
            return false;
        }
    }
}
