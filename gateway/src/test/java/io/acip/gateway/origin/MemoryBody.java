package io.acip.gateway.origin;

import io.acip.capsule.bhttp.Fields;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.BodySource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A request body held in memory: the given parts, then the end (with trailers), counting unreleased chunks. */
final class MemoryBody implements BodySource {
    private final ArrayDeque<BodyChunk> chunks = new ArrayDeque<>();
    final AtomicInteger unreleased = new AtomicInteger();
    final CompletableFuture<Throwable> aborted = new CompletableFuture<>();

    MemoryBody(Fields trailers, String... parts) {
        for (String p : parts) {
            unreleased.incrementAndGet();
            chunks.add(BodyChunk.of(ByteBuffer.wrap(p.getBytes(StandardCharsets.UTF_8)), false,
                    unreleased::decrementAndGet));
        }
        chunks.add(BodyChunk.end(trailers));
    }

    static MemoryBody empty() {
        return new MemoryBody(Fields.EMPTY);
    }

    static MemoryBody of(String... parts) {
        return new MemoryBody(Fields.EMPTY, parts);
    }

    @Override
    public synchronized BodyChunk read() {
        return chunks.poll();
    }

    @Override
    public void demand(Runnable onAvailable) {
        onAvailable.run();
    }

    @Override
    public void abort(Throwable cause) {
        aborted.complete(cause);
    }
}
