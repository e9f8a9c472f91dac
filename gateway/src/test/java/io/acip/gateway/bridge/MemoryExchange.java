package io.acip.gateway.bridge;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.BodySource;
import io.acip.ingress.Exchange;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.ResponseSink;
import io.acip.ingress.WriteCallback;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An exchange in memory: a fixed request body, and a response recorded with futures to wait on. */
class MemoryExchange implements Exchange, BodySource, ResponseSink {
    final RequestInfo info;
    private final ArrayDeque<BodyChunk> body = new ArrayDeque<>();
    final CompletableFuture<ResponseHead> head = new CompletableFuture<>();
    final CompletableFuture<byte[]> content = new CompletableFuture<>();
    final CompletableFuture<Void> firstContent = new CompletableFuture<>();
    final CompletableFuture<HttpFailure> failure = new CompletableFuture<>();
    final CompletableFuture<Fields> trailers = new CompletableFuture<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    volatile boolean committed;
    private final io.acip.ingress.ExchangeEnd end = new io.acip.ingress.ExchangeEnd();

    MemoryExchange(String method, String path, Fields headers, List<byte[]> chunks) {
        this(method, path, headers, chunks, true);
    }

    /** {@code ends}: the body ends after {@code chunks}; else the agent sends them and then nothing, for ever. */
    MemoryExchange(String method, String path, Fields headers, List<byte[]> chunks, boolean ends) {
        info = new RequestInfo(method, "http", "echo.demo.acip", path, headers, "HTTP/1.1", RequestInfo.Form.ORIGIN,
                false, new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("127.0.0.1", 8080));
        for (int i = 0; i < chunks.size(); i++) {
            body.add(BodyChunk.of(ByteBuffer.wrap(chunks.get(i)), false, () -> { }));
        }
        if (ends) body.add(BodyChunk.end(Fields.EMPTY));
    }

    @Override
    public RequestInfo request() {
        return info;
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
    public synchronized BodyChunk read() {
        return body.poll();
    }

    @Override
    public void demand(Runnable onAvailable) {
        synchronized (this) {
            if (body.isEmpty()) return; // nothing more will come: the reader waits for ever
        }
        onAvailable.run();
    }

    @Override
    public void abort(Throwable cause) {
    }

    /** Informational responses that reached the agent. */
    final java.util.concurrent.atomic.AtomicInteger informational = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void informational(ResponseHead h) {
        informational.incrementAndGet();
    }

    /** Calls that wrote to the agent: a head, content, trailers, or a head with its content. */
    final java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void head(ResponseHead h, WriteCallback done) {
        writes.incrementAndGet();
        committed = true;
        head.complete(h);
        done.done(null);
    }

    @Override
    public void head(ResponseHead h, ByteBuffer data, boolean last, WriteCallback done) {
        committed = true;
        head.complete(h);
        content(data, last, done); // counted there, once
    }

    @Override
    public synchronized void content(ByteBuffer data, boolean last, WriteCallback done) {
        writes.incrementAndGet();
        byte[] b = new byte[data.remaining()];
        data.get(b);
        received.writeBytes(b);
        if (b.length > 0) firstContent.complete(null);
        if (last) content.complete(received.toByteArray());
        done.done(null);
        if (last) end.fire();
    }

    @Override
    public synchronized void trailers(Fields t, WriteCallback done) {
        writes.incrementAndGet();
        trailers.complete(t);
        content.complete(received.toByteArray());
        done.done(null);
        end.fire();
    }

    @Override
    public void fail(HttpFailure f) {
        failure.complete(f);
        head.completeExceptionally(new IllegalStateException(f.toString()));
        content.completeExceptionally(new IllegalStateException(f.toString()));
        end.fire();
    }

    @Override
    public void onEnd(Runnable action) {
        end.add(action);
    }

    @Override
    public boolean committed() {
        return committed;
    }
}
