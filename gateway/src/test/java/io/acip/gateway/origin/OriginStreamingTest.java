package io.acip.gateway.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.BodySource;
import io.acip.ingress.HttpFailure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Content streaming through the forwarder against a Jetty origin, each test over HTTP/1.1 and over h2c: bounded
 * memory both ways, events passed on as they come, trailers both ways, failures after the head.
 */
class OriginStreamingTest {
    private static final long GIB = 1L << 30;
    private static final int MIB = 1 << 20;
    private static OriginForwarder forwarder;
    private TestOrigin origin;

    @BeforeAll
    static void startForwarder() throws Exception {
        forwarder = OriginForwarder.start(OriginForwarder.Settings.defaults("gw"));
    }

    @AfterAll
    static void stopForwarder() throws Exception {
        forwarder.close();
    }

    @BeforeEach
    void startOrigin() throws Exception {
        origin = new TestOrigin();
    }

    @AfterEach
    void stopOrigin() throws Exception {
        origin.close();
    }

    private OriginConfig config(boolean h2c) {
        return OriginConfig.of(origin.uri()).withH2c(h2c);
    }

    @ParameterizedTest(name = "h2c={0}")
    @ValueSource(booleans = {false, true})
    void oneGibUploadStreamsInBoundedMemory(boolean h2c) throws Exception {
        origin.route("/upload", OriginHandlers.counting());
        GeneratedBody body = new GeneratedBody(GIB, 64 * 1024);
        RecordingSink sink = new RecordingSink();
        forwarder.forward(TestExchange.of("PUT", "/upload", Fields.of("content-length", Long.toString(GIB)), body,
                sink), config(h2c)).get(120, TimeUnit.SECONDS);

        assertEquals(200, sink.head.get().status());
        assertEquals("received=" + GIB, sink.text());
        assertTrue(body.maxOutstanding.get() <= MIB, "peak unreleased request bytes: " + body.maxOutstanding);
        assertEquals(0, body.outstanding.get(), "every chunk released");
        sink.assertClean();
    }

    @ParameterizedTest(name = "h2c={0}")
    @ValueSource(booleans = {false, true})
    void largeDownloadWaitsForASlowAgent(boolean h2c) throws Exception {
        long total = 256L * MIB;
        AtomicLong written = new AtomicLong();
        origin.route("/download", OriginHandlers.download(total, written));
        RecordingSink sink = new RecordingSink(64 * 1024).hold();
        sink.release(8);
        CompletableFuture<Void> done = forwarder.forward(TestExchange.of("GET", "/download", Fields.EMPTY,
                MemoryBody.empty(), sink), config(h2c));

        awaitQuiet(written::get);
        long ahead = written.get() - sink.received.get();
        assertTrue(ahead < 16L * MIB, "origin got " + ahead + " bytes ahead of a stalled agent");
        assertTrue(written.get() < total, "the origin was held back");

        sink.releaseAll();
        done.get(120, TimeUnit.SECONDS);
        assertEquals(total, sink.received.get());
        sink.assertClean();
    }

    @ParameterizedTest(name = "h2c={0}")
    @ValueSource(booleans = {false, true})
    void serverSentEventReachesTheAgentBeforeTheOriginFinishes(boolean h2c) throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        origin.route("/events", OriginHandlers.sse(gate));
        RecordingSink sink = new RecordingSink();
        CompletableFuture<Void> done = forwarder.forward(TestExchange.of("GET", "/events",
                Fields.of("accept", "text/event-stream"), MemoryBody.empty(), sink), config(h2c));

        sink.firstContent.get(5, TimeUnit.SECONDS);
        assertFalse(done.isDone(), "the stream is still open at the origin");
        assertEquals("text/event-stream", sink.head.get().fields().first("content-type").orElseThrow());
        gate.complete(null);
        done.get(5, TimeUnit.SECONDS);
        assertEquals("id: 1\ndata: first\n\nid: 2\ndata: second\n\n", sink.text());
        sink.assertClean();
    }

    @ParameterizedTest(name = "h2c={0}")
    @ValueSource(booleans = {false, true})
    void originResetMidBodyAbortsTheCommittedResponse(boolean h2c) throws Exception {
        origin.route("/reset", OriginHandlers.resetMidBody());
        RecordingSink sink = new RecordingSink();
        CompletableFuture<Void> done = forwarder.forward(TestExchange.of("GET", "/reset", Fields.EMPTY,
                MemoryBody.empty(), sink), config(h2c));

        HttpFailure failure = sink.failure.get(5, TimeUnit.SECONDS);
        assertEquals(200, sink.head.get().status());
        assertTrue(sink.failAfterCommit, "the head had gone out, so the response is aborted: " + failure);
        assertThrows(ExecutionException.class, () -> done.get(5, TimeUnit.SECONDS));
        assertFalse(sink.body.isDone() && !sink.body.isCompletedExceptionally(), "never a silently short body");
        sink.assertClean();
    }

    @ParameterizedTest(name = "h2c={0}")
    @ValueSource(booleans = {false, true})
    void trailersPassBothWays(boolean h2c) throws Exception {
        origin.route("/trailers", OriginHandlers.counting());
        RecordingSink sink = new RecordingSink();
        MemoryBody body = new MemoryBody(Fields.of("x-checksum", "abc"), "part one, ", "part two");
        forwarder.forward(TestExchange.of("POST", "/trailers", Fields.of("transfer-encoding", "chunked",
                "te", "trailers"), body, sink), config(h2c)).get(10, TimeUnit.SECONDS);

        assertEquals("abc", sink.head.get().fields().first("x-request-trailer").orElseThrow());
        assertEquals("def", sink.trailers.get(5, TimeUnit.SECONDS).first("x-response-checksum").orElseThrow());
        assertEquals("received=18", sink.text());
        assertEquals(0, body.unreleased.get());
        sink.assertClean();
    }

    @ParameterizedTest(name = "h2c={0}")
    @ValueSource(booleans = {false, true})
    void earlyHintsArePassedOn(boolean h2c) throws Exception {
        origin.route("/hints", OriginHandlers.earlyHints());
        RecordingSink sink = new RecordingSink();
        forwarder.forward(TestExchange.of("GET", "/hints", Fields.EMPTY, MemoryBody.empty(), sink), config(h2c))
                .get(10, TimeUnit.SECONDS);

        assertEquals(1, sink.informational.size());
        assertEquals(103, sink.informational.get(0).status());
        assertEquals("</app.css>; rel=preload; as=style",
                sink.informational.get(0).fields().first("link").orElseThrow());
        assertEquals("ok", sink.text());
    }

    @ParameterizedTest(name = "h2c={0}")
    @ValueSource(booleans = {false, true})
    void silentOriginMidBodyHitsTheIdleTimeout(boolean h2c) throws Exception {
        origin.route("/stall", OriginHandlers.stallAfterFirstChunk());
        RecordingSink sink = new RecordingSink();
        OriginConfig config = config(h2c).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofMillis(300));
        CompletableFuture<Void> done = forwarder.forward(TestExchange.of("GET", "/stall", Fields.EMPTY,
                MemoryBody.empty(), sink), config);

        HttpFailure failure = sink.failure.get(5, TimeUnit.SECONDS);
        assertEquals(ProxyErrorType.CONNECTION_READ_TIMEOUT, failure.error());
        assertTrue(sink.failAfterCommit);
        assertThrows(ExecutionException.class, () -> done.get(5, TimeUnit.SECONDS));
    }

    @ParameterizedTest(name = "h2c={0}")
    @ValueSource(booleans = {false, true})
    void agentContentFailingAnswers400(boolean h2c) throws Exception {
        origin.route("/upload", OriginHandlers.counting());
        RecordingSink sink = new RecordingSink();
        BodySource failing = new BodySource() {
            private int step;

            @Override
            public synchronized BodyChunk read() {
                return switch (step++) {
                    case 0 -> BodyChunk.of(ByteBuffer.wrap(new byte[100]), false, () -> { });
                    case 1 -> BodyChunk.failed(new IOException("agent reset the stream"));
                    default -> null;
                };
            }

            @Override
            public void demand(Runnable onAvailable) {
                onAvailable.run();
            }

            @Override
            public void abort(Throwable cause) {
            }
        };
        forwarder.forward(TestExchange.of("POST", "/upload", Fields.of("content-length", "1000"), failing, sink),
                config(h2c)).handle((v, e) -> null).get(10, TimeUnit.SECONDS);

        HttpFailure failure = sink.failure.get(5, TimeUnit.SECONDS);
        assertEquals(ProxyErrorType.HTTP_REQUEST_ERROR, failure.error());
        assertEquals(400, failure.status());
    }

    /** Waits until {@code counter} stops moving for 300 ms (the origin is held back), at most 20 s. */
    private static void awaitQuiet(LongSupplier counter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long last = counter.getAsLong();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(50);
            long now = counter.getAsLong();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(300)) {
                return;
            }
        }
        throw new AssertionError("the origin never stopped writing: nothing holds it back");
    }
}
