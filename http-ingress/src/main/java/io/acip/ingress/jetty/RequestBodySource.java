package io.acip.ingress.jetty;

import io.acip.capsule.bhttp.Fields;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.BodySource;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.Trailers;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;

/**
 * A request's content as Jetty reads it: {@link #read} is {@code Request.read()}, {@link #demand} is
 * {@code Request.demand()}, so nothing is read off the connection before the stage that forwards it asks.
 * Chunks are Jetty's own buffers, handed on without a copy; {@link BodyChunk#release} gives them back.
 */
final class RequestBodySource implements BodySource {
    private final Request request;
    private final ExchangeCompletion completion;
    private final IngressCounters counters;
    private volatile Throwable aborted;

    RequestBodySource(Request request, ExchangeCompletion completion, IngressCounters counters) {
        this.request = request;
        this.completion = completion;
        this.counters = counters;
    }

    @Override
    public BodyChunk read() {
        Throwable abort = aborted;
        if (abort != null) return BodyChunk.failed(abort);
        // Once the exchange ended Jetty may recycle the request for the next one: never read it again.
        if (completion.isDone()) return BodyChunk.failed(new EofException("the exchange has already ended"));
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) return null;
            if (Content.Chunk.isFailure(chunk)) {
                // Transient failures (an idle timeout while reading) end the body too: the contract has no retry.
                counters.increment("ingress.request_body.failed");
                return BodyChunk.failed(chunk.getFailure());
            }
            if (chunk instanceof Trailers trailers) {
                return BodyChunk.end(HeaderFields.fromJetty(trailers.getTrailers()));
            }
            if (!chunk.hasRemaining()) {
                chunk.release();
                if (chunk.isLast()) return BodyChunk.end(Fields.EMPTY);
                continue; // an empty chunk carries nothing a reader needs
            }
            counters.add("ingress.request_body.bytes", chunk.remaining());
            return BodyChunk.of(chunk.getByteBuffer(), chunk.isLast(), releaseOnce(chunk));
        }
    }

    @Override
    public void demand(Runnable onAvailable) {
        if (aborted != null || completion.isDone()) {
            onAvailable.run();
            return;
        }
        request.demand(onAvailable);
    }

    /**
     * Stops reading without failing the exchange (the stage may still answer, e.g. with an error). Jetty deals with
     * the unread rest when the response completes: HTTP/1.1 drains a little and otherwise closes the connection,
     * HTTP/2 resets the stream with NO_ERROR (RFC 9113 §8.1).
     */
    @Override
    public void abort(Throwable cause) {
        if (aborted == null) {
            aborted = cause == null ? new IllegalStateException("request body aborted") : cause;
            counters.increment("ingress.request_body.aborted");
        }
    }

    /** Jetty's pool breaks if a buffer is released twice; a careless reader must not be able to do that. */
    private Runnable releaseOnce(Content.Chunk chunk) {
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                chunk.release();
            } else {
                counters.increment("ingress.request_body.double_release");
            }
        };
    }
}
