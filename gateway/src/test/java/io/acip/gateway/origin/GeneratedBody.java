package io.acip.gateway.origin;

import io.acip.ingress.BodyChunk;
import io.acip.ingress.BodySource;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body of {@code total} bytes made up on demand, {@code chunkSize} at a time: nothing exists before it is
 * read, and the bytes read but not yet released are counted (their peak is what the forwarder holds in memory).
 */
final class GeneratedBody implements BodySource {
    private final long total;
    private final int chunkSize;
    private long produced;
    final AtomicLong outstanding = new AtomicLong();
    final AtomicLong maxOutstanding = new AtomicLong();
    final CompletableFuture<Throwable> aborted = new CompletableFuture<>();

    GeneratedBody(long total, int chunkSize) {
        this.total = total;
        this.chunkSize = chunkSize;
    }

    synchronized long produced() {
        return produced;
    }

    @Override
    public synchronized BodyChunk read() {
        if (produced >= total) return null;
        int n = (int) Math.min(chunkSize, total - produced);
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) data[i] = (byte) (produced + i);
        produced += n;
        long now = outstanding.addAndGet(n);
        maxOutstanding.accumulateAndGet(now, Math::max);
        boolean last = produced == total;
        return BodyChunk.of(ByteBuffer.wrap(data), last, () -> outstanding.addAndGet(-n));
    }

    @Override
    public void demand(Runnable onAvailable) {
        // Only asked when read() returned null, which happens once the whole body was produced.
        if (produced() < total) onAvailable.run();
    }

    @Override
    public void abort(Throwable cause) {
        aborted.complete(cause);
    }
}
