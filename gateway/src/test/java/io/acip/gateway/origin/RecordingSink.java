package io.acip.gateway.origin;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.ResponseSink;
import io.acip.ingress.WriteCallback;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A response sink that records what it is given and checks the contract: one call at a time, no write before the
 * previous one completed, nothing after the end. Content is kept up to {@code keep} bytes and counted beyond.
 * With {@link #hold()} writes wait for {@link #release(int)} to complete, as a slow agent would.
 */
final class RecordingSink implements ResponseSink {
    final CompletableFuture<ResponseHead> head = new CompletableFuture<>();
    final CompletableFuture<Void> firstContent = new CompletableFuture<>();
    final CompletableFuture<byte[]> body = new CompletableFuture<>();
    final CompletableFuture<Fields> trailers = new CompletableFuture<>();
    final CompletableFuture<HttpFailure> failure = new CompletableFuture<>();
    final List<ResponseHead> informational = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final AtomicLong received = new AtomicLong();
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final int keep;
    private final AtomicBoolean inCall = new AtomicBoolean();
    private final AtomicBoolean writePending = new AtomicBoolean();
    private final Semaphore permits = new Semaphore(Integer.MAX_VALUE);
    private volatile boolean committed;
    private volatile boolean ended;
    volatile boolean failAfterCommit;

    RecordingSink(int keep) {
        this.keep = keep;
    }

    RecordingSink() {
        this(1 << 20);
    }

    /** From now on writes complete only as {@link #release} allows. */
    RecordingSink hold() {
        permits.drainPermits();
        return this;
    }

    void release(int writes) {
        permits.release(writes);
    }

    void releaseAll() {
        permits.release(Integer.MAX_VALUE / 2);
    }

    String text() throws Exception {
        return new String(body.get(), StandardCharsets.UTF_8);
    }

    @Override
    public void informational(ResponseHead h) {
        enter("informational");
        informational.add(h);
        leave();
    }

    @Override
    public void head(ResponseHead h, WriteCallback done) {
        enter("head");
        if (committed) violations.add("second head");
        committed = true;
        head.complete(h);
        leave();
        done.done(null);
    }

    @Override
    public void content(ByteBuffer data, boolean last, WriteCallback done) {
        enter("content");
        if (!committed) violations.add("content before head");
        if (!writePending.compareAndSet(false, true)) violations.add("content while a write is pending");
        int n = data.remaining();
        synchronized (kept) {
            int k = Math.max(0, Math.min(n, keep - kept.size()));
            byte[] b = new byte[n];
            data.get(b);
            kept.write(b, 0, k);
        }
        received.addAndGet(n);
        if (n > 0) firstContent.complete(null);
        if (last) end();
        leave();
        complete(done);
    }

    @Override
    public void trailers(Fields t, WriteCallback done) {
        enter("trailers");
        trailers.complete(t);
        end();
        leave();
        done.done(null);
    }

    @Override
    public void fail(HttpFailure f) {
        enter("fail");
        failAfterCommit = committed;
        failure.complete(f);
        body.completeExceptionally(new IllegalStateException("failed: " + f));
        head.completeExceptionally(new IllegalStateException("failed: " + f));
        leave();
    }

    @Override
    public boolean committed() {
        return committed;
    }

    private void complete(WriteCallback done) {
        if (permits.tryAcquire()) {
            writePending.set(false);
            done.done(null);
            return;
        }
        Thread t = new Thread(() -> {
            permits.acquireUninterruptibly();
            writePending.set(false);
            done.done(null);
        }, "slow-agent");
        t.setDaemon(true);
        t.start();
    }

    private void end() {
        if (ended) violations.add("second end");
        ended = true;
        synchronized (kept) {
            body.complete(kept.toByteArray());
        }
    }

    private void enter(String call) {
        if (!inCall.compareAndSet(false, true)) violations.add("concurrent " + call);
        if (ended && !call.equals("fail")) violations.add(call + " after the end");
    }

    private void leave() {
        inCall.set(false);
    }

    void assertClean() {
        if (!violations.isEmpty()) org.junit.jupiter.api.Assertions.fail("sink contract broken: " + violations);
    }
}
