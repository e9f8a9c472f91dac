package io.acip.gateway.origin;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.BodySource;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.RequestInfo;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.Content;

/**
 * The agent's request content as the origin clients take it (Jetty's as its content source, the loop client through
 * {@link #take}): a chunk is pulled, written, released (which releases the agent's chunk) and only then the next one
 * pulled, so at most one chunk per exchange is in memory and a slow origin slows the agent down.
 */
final class AgentRequestContent implements Request.Content {
    private final BodySource body;
    private final long length;
    private final Runnable onActivity;
    private final AtomicBoolean aborted = new AtomicBoolean();
    private BodyChunk peeked;
    /** Bytes handed out so far: never more than a known length, and all of it by the end. */
    private long taken;
    private volatile Fields trailers = Fields.EMPTY;
    private volatile Throwable failure;
    private volatile boolean ended;

    private AgentRequestContent(BodySource body, long length, BodyChunk peeked, Runnable onActivity) {
        this.body = body;
        this.length = length;
        this.peeked = peeked;
        this.onActivity = onActivity;
    }

    /**
     * The content to send, or null when the request has none. RFC 9112 §6.3: an HTTP/1.1 request without
     * Content-Length or Transfer-Encoding has no content; HTTP/2 and HTTP/3 say so only by ending the stream, so the
     * source is asked once whether it already ended.
     */
    static AgentRequestContent of(RequestInfo request, BodySource body, Runnable onActivity) {
        long length = contentLength(request);
        boolean chunked = request.headers().first("transfer-encoding").isPresent();
        if (length == 0 && !chunked) return null;
        if (length < 0 && !chunked && request.protocol().startsWith("HTTP/1")) return null;
        BodyChunk first = null;
        if (length < 0 && !chunked) {
            first = body.read();
            if (first != null && first.last() && first.failure() == null && !first.data().hasRemaining()
                    && first.trailers().isEmpty()) {
                first.release();
                return null;
            }
        }
        return new AgentRequestContent(body, chunked ? -1 : length, first, onActivity);
    }

    private static long contentLength(RequestInfo request) {
        String value = request.headers().first("content-length").orElse(null);
        if (value == null) return -1;
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1; // the listener refuses a malformed Content-Length; here it only means "unknown"
        }
    }

    @Override
    public long getLength() {
        return length;
    }

    /**
     * The next piece of the agent's content, or null when none is ready yet (then {@link #demand}); the caller
     * releases it. After the last piece, an empty last one; a body that failed gives a failed piece whose cause is an
     * {@link OriginException} answering 400.
     */
    BodyChunk take() {
        Throwable f = failure;
        if (f != null) return BodyChunk.failed(f);
        if (ended) return BodyChunk.end(Fields.EMPTY);
        BodyChunk c;
        synchronized (this) {
            c = peeked;
            peeked = null;
        }
        if (c == null) c = body.read();
        if (c == null) return null;
        onActivity.run();
        if (c.failure() != null) {
            c.release();
            failure = new OriginException(new HttpFailure(400, ProxyErrorType.HTTP_REQUEST_ERROR,
                    "request content ended early"), c.failure());
            return BodyChunk.failed(failure);
        }
        if (length >= 0) {
            // The origin frames the request by this length: a body that disagrees with it would end the request
            // early (the rest read as another request on the connection) or swallow the next one.
            long after = taken + c.data().remaining();
            if (after > length || c.last() && after < length) {
                c.release();
                failure = new OriginException(new HttpFailure(400, ProxyErrorType.HTTP_REQUEST_ERROR,
                        "request content is " + (after > length ? "longer" : "shorter") + " than its Content-Length of "
                                + length));
                return BodyChunk.failed(failure);
            }
        }
        taken += c.data().remaining();
        if (c.last()) {
            trailers = c.trailers();
            ended = true;
        }
        return c;
    }

    @Override
    public Content.Chunk read() {
        BodyChunk c = take();
        if (c == null) return null;
        if (c.failure() != null) return Content.Chunk.from(c.failure(), true);
        if (!c.data().hasRemaining()) {
            c.release();
            return c.last() ? Content.Chunk.EOF : Content.Chunk.EMPTY;
        }
        return Content.Chunk.from(c.data(), c.last(), c::release);
    }

    @Override
    public void demand(Runnable onAvailable) {
        if (peeked != null || failure != null || ended) {
            onAvailable.run();
        } else {
            body.demand(onAvailable);
        }
    }

    @Override
    public void fail(Throwable cause) {
        abort(cause);
    }

    /** Tells the agent's side the content is not wanted any more; once, and never after it was read to its end. */
    void abort(Throwable cause) {
        if (ended || !aborted.compareAndSet(false, true)) return;
        BodyChunk p;
        synchronized (this) {
            p = peeked;
            peeked = null;
        }
        if (p != null) p.release();
        body.abort(cause);
    }

    /** Trailer fields of the request, for the client to send after the content (null when none). */
    org.eclipse.jetty.http.HttpFields trailers() {
        Fields t = trailers;
        if (t.isEmpty()) return null;
        org.eclipse.jetty.http.HttpFields.Mutable out = org.eclipse.jetty.http.HttpFields.build(t.lines().size());
        t.lines().forEach(f -> out.add(f.name().toLowerCase(Locale.ROOT), f.value()));
        return out;
    }

    @Override
    public String getContentType() {
        return null; // Content-Type travels with the other header fields
    }

    @Override
    public boolean rewind() {
        return false; // streamed once: never replayed to another origin
    }
}
