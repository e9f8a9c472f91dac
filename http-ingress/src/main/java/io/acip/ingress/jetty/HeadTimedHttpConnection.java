package io.acip.ingress.jetty;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * An HTTP/1.1 connection whose request heads have a deadline: the first from the connection's accept (a TLS
 * handshake included), each later one from its first byte. A head not complete by then is answered {@code 408}
 * (RFC 9110 §15.5.9) with {@code Connection: close}, and the connection closes.
 *
 * <p>Jetty 12.1 has no such deadline: its idle timeout restarts with every byte, so a head trickled a byte a second
 * never ends. While a head is awaited the endpoint's idle timeout is kept at the time left to the deadline, so that
 * Jetty's own read timeout fires at the deadline, serialized with the reads; the head is then failed through
 * Jetty's bad-message path, as the parser fails a malformed one (error page, no keep-alive).
 */
class HeadTimedHttpConnection extends HttpConnection {
    static final String TIMED_OUT = "ingress.request_head.timeout";

    private final long timeoutNanos;
    private final IngressCounters counters;
    // Set by newRequestHandler(), which the super constructor calls: no initializer, or it would be reset.
    private RequestHandler requestHandler;
    private long idleTimeoutMillis;
    /** System.nanoTime() by which the awaited head must be complete; 0 while none is awaited. */
    private volatile long deadline;

    HeadTimedHttpConnection(HttpConfiguration configuration, Connector connector, EndPoint endPoint,
                            Duration timeout, IngressCounters counters) {
        super(configuration, connector, endPoint);
        this.timeoutNanos = timeout.toNanos();
        this.counters = counters;
    }

    @Override
    protected RequestHandler newRequestHandler() {
        requestHandler = new HeadDeadlineHandler();
        return requestHandler;
    }

    @Override
    public void onOpen() {
        idleTimeoutMillis = getEndPoint().getIdleTimeout();
        long age = Math.max(0, System.currentTimeMillis() - getEndPoint().getCreatedTimeStamp());
        deadline = nonZero(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(age) + timeoutNanos);
        keepIdleTimeoutAtDeadline();
        super.onOpen();
    }

    @Override
    protected HttpParser newHttpParser(HttpCompliance compliance) {
        // As Jetty's, but a parser that tells where each head begins (called by the super constructor).
        HttpParser parser = new HeadTimedParser(requestHandler, getHttpConfiguration().getRequestHeaderSize(),
                compliance);
        parser.setHeaderCacheSize(getHttpConfiguration().getHeaderCacheSize());
        parser.setHeaderCacheCaseSensitive(getHttpConfiguration().isHeaderCacheCaseSensitive());
        return parser;
    }

    /**
     * The timer fired while a read is in progress (a byte came just then): Jetty would close without an answer. Not
     * yet, then: that read keeps the idle timeout at the deadline, which is now, so the timer fires again at once with
     * the read interest back in place, and the 408 goes out.
     */
    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        if (deadline != 0 && !isFillInterested()) return false;
        return super.onIdleExpired(timeout);
    }

    @Override
    public void onFillInterestedFailed(Throwable cause) {
        // While a head is awaited the read timeout is the deadline (or the idle timeout, if shorter: a silence that
        // long in a head is as much a request not received in time).
        if (cause instanceof TimeoutException && deadline != 0) {
            counters.increment(TIMED_OUT);
            getParser().close();
            requestHandler.badMessage(new BadMessageException(HttpStatus.REQUEST_TIMEOUT_408,
                    "the request head was not complete within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms"));
            return;
        }
        super.onFillInterestedFailed(cause);
    }

    private void keepIdleTimeoutAtDeadline() {
        // Rounded up: Jetty's idle check counts whole milliseconds and would fire a little early.
        long left = Math.max(1, (deadline - System.nanoTime() + 999_999) / 1_000_000 + 1);
        getEndPoint().setIdleTimeout(idleTimeoutMillis > 0 ? Math.min(left, idleTimeoutMillis) : left);
    }

    private static long nonZero(long nanoTime) {
        return nanoTime == 0 ? 1 : nanoTime;
    }

    private void headEnded() {
        if (deadline != 0) {
            deadline = 0;
            getEndPoint().setIdleTimeout(idleTimeoutMillis);
        }
    }

    /**
     * Starts a later request's deadline at its first byte, and keeps the idle timeout at the deadline after each
     * read: in the parser, so that it happens on the one thread that reads, never beside it.
     */
    private final class HeadTimedParser extends HttpParser {
        HeadTimedParser(RequestHandler handler, int maxHeaderBytes, HttpCompliance compliance) {
            super(handler, maxHeaderBytes, compliance);
        }

        @Override
        public boolean parseNext(ByteBuffer buffer) {
            if (deadline == 0 && isStart() && buffer.hasRemaining()) {
                deadline = nonZero(System.nanoTime() + timeoutNanos);
            }
            boolean handle = super.parseNext(buffer);
            if (deadline != 0) keepIdleTimeoutAtDeadline(); // the bytes just read restarted Jetty's idle timer
            return handle;
        }
    }

    /** Ends the deadline when the head is complete, or refused by the parser (its error page then has time). */
    private final class HeadDeadlineHandler extends RequestHandler {
        @Override
        public boolean headerComplete() {
            headEnded();
            return super.headerComplete();
        }

        @Override
        public void badMessage(HttpException failure) {
            headEnded();
            super.badMessage(failure);
        }
    }
}
