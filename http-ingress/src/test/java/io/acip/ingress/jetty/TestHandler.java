package io.acip.ingress.jetty;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.Exchange;
import io.acip.ingress.TestExchanges;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.Tunnel;
import io.acip.ingress.TunnelDecision;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The test's gateway: answers by path.
 * <ul>
 *   <li>{@code /stream}: sends "first", waits for {@link #releaseSecond}, then sends "second"</li>
 *   <li>{@code /fail-before}: {@link #FAILURE} before any head</li>
 *   <li>{@code /fail-after}: a head and "partial", then {@link #FAILURE}</li>
 *   <li>{@code /hints}: a 103 Early Hints, then 204</li>
 *   <li>{@code /throw}: the handler throws</li>
 *   <li>{@code /upload}: counts the body, releasing each chunk on another thread before reading the next</li>
 *   <li>anything else: echoes the request (its head in {@code x-echo-*} fields, its body streamed back, its
 *       trailers as response trailers)</li>
 * </ul>
 * CONNECT targets are served by {@link #connectPolicy}; carried tunnels echo their bytes.
 */
final class TestHandler implements IngressHandler {
    static final HttpFailure FAILURE = TestExchanges.FAILURE;

    final AtomicInteger exchanges = new AtomicInteger();
    final ConcurrentLinkedQueue<RequestInfo> seen = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<ConnectRequest> connects = new ConcurrentLinkedQueue<>();
    volatile Function<ConnectRequest, TunnelDecision> connectPolicy = c -> new TunnelDecision.Refuse(
            new HttpFailure(403, ProxyErrorType.HTTP_REQUEST_DENIED, "no policy"));
    volatile CompletableFuture<Void> secondChunk = new CompletableFuture<>();
    final Upload upload = new Upload();
    private final ExecutorService releaser = Executors.newSingleThreadExecutor();

    void releaseSecond() {
        secondChunk.complete(null);
    }

    @Override
    public void onExchange(Exchange exchange) {
        exchanges.incrementAndGet();
        seen.add(exchange.request());
        String path = exchange.request().path();
        if (path.startsWith("/stream")) {
            stream(exchange);
        } else if (path.startsWith("/upload")) {
            upload.start(exchange, releaser);
        } else {
            TestExchanges.serve(exchange);
        }
    }

    @Override
    public TunnelDecision onConnect(ConnectRequest request) {
        connects.add(request);
        return connectPolicy.apply(request);
    }

    @Override
    public void onTunnel(Tunnel tunnel) {
        new TunnelEcho(tunnel).pump();
    }

    private void stream(Exchange exchange) {
        exchange.response().head(new ResponseHead(200, Fields.of("content-type", "text/plain")), f ->
                exchange.response().content(ascii("first"), false, g ->
                        secondChunk.thenRun(() -> exchange.response().content(ascii("second"), true, h -> { }))));
    }

    static ByteBuffer ascii(String s) {
        return TestExchanges.ascii(s);
    }

    /** Echoes a carried tunnel's bytes and its half-close. */
    private record TunnelEcho(Tunnel tunnel) {
        void pump() {
            BodyChunk chunk = tunnel.upstream().read();
            if (chunk == null) {
                tunnel.upstream().demand(this::pump);
                return;
            }
            if (chunk.failure() != null) {
                tunnel.abort(chunk.failure());
                return;
            }
            tunnel.downstream(chunk.data(), chunk.last(), f -> {
                chunk.release();
                if (f == null && !chunk.last()) pump();
            });
        }
    }

    /**
     * Counts an upload. {@code clientSent} is how far the client got; {@link #maxLead} how far it ever was ahead of
     * what this handler had read: bounded by socket buffers and flow-control windows if nothing buffers the body.
     */
    static final class Upload {
        final AtomicLong clientSent = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong chunks = new AtomicLong();
        final AtomicLong held = new AtomicLong();
        final AtomicLong maxHeld = new AtomicLong();
        final AtomicLong maxLead = new AtomicLong();
        final AtomicLong maxChunk = new AtomicLong();

        void reset() {
            for (AtomicLong a : List.of(clientSent, received, chunks, held, maxHeld, maxLead, maxChunk)) a.set(0);
        }

        void start(Exchange exchange, ExecutorService releaser) {
            read(exchange, releaser);
        }

        private void read(Exchange exchange, ExecutorService releaser) {
            BodyChunk chunk = exchange.body().read();
            if (chunk == null) {
                exchange.body().demand(() -> read(exchange, releaser));
                return;
            }
            if (chunk.failure() != null) {
                exchange.response().fail(new HttpFailure(502, ProxyErrorType.HTTP_PROTOCOL_ERROR, "failed"));
                return;
            }
            int n = chunk.data().remaining();
            long total = received.addAndGet(n);
            chunks.incrementAndGet();
            maxChunk.accumulateAndGet(n, Math::max);
            maxHeld.accumulateAndGet(held.addAndGet(n), Math::max);
            maxLead.accumulateAndGet(clientSent.get() - total, Math::max);
            // Released on another thread, and only then is the next chunk read: as a forwarding stage would.
            releaser.execute(() -> {
                held.addAndGet(-n);
                chunk.release();
                if (chunk.last()) {
                    byte[] body = (received.get() + " " + chunks.get()).getBytes(StandardCharsets.US_ASCII);
                    exchange.response().head(new ResponseHead(200, Fields.of("content-length",
                            String.valueOf(body.length))), f -> exchange.response().content(
                            ByteBuffer.wrap(body), true, g -> { }));
                } else {
                    read(exchange, releaser);
                }
            });
        }
    }

    /** The usual policy for the tests: hosts name what to do. */
    static TunnelDecision policy(ConnectRequest c, int echoPort) {
        return switch (c.host()) {
            case "echo.demo.acip", "127.0.0.2" -> new TunnelDecision.Intercept();
            case "carry.demo.acip" -> new TunnelDecision.Carry("carried:" + c.port());
            case "blocked.demo.acip" -> new TunnelDecision.Refuse(new HttpFailure(403,
                    ProxyErrorType.DESTINATION_IP_PROHIBITED, "10.0.0.1 is a private address"));
            case "127.0.0.1" -> new TunnelDecision.Direct(new InetSocketAddress("127.0.0.1", c.port()));
            default -> new TunnelDecision.Refuse(new HttpFailure(403, ProxyErrorType.HTTP_REQUEST_DENIED,
                    "not allowed: " + c.host() + " (echo server on " + echoPort + ")"));
        };
    }
}
