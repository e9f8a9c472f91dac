package io.acip.ingress.h3;

import io.acip.capsule.bhttp.Fields;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.BodySource;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request body read from its QUIC stream only when asked: the stream's auto-read is off, so until the stage that
 * forwards the body calls {@link #demand}, QUIC flow control holds the agent back. DATA frames are handed on as
 * chunks over Netty's own buffers, released by whoever consumes them.
 */
final class StreamBodySource implements BodySource {
    private final QuicStreamChannel stream;
    private final ArrayDeque<BodyChunk> chunks = new ArrayDeque<>();
    private Runnable demand;
    private Fields trailers = Fields.EMPTY;
    private boolean ended; // the last chunk is queued (or the body failed)
    private boolean aborted;
    private boolean lastTaken;

    StreamBodySource(QuicStreamChannel stream) {
        this.stream = stream;
    }

    // ---- from the stream (event loop) ----

    /** A DATA frame's content; ownership passes to this source. */
    void onData(ByteBuf content) {
        Runnable wake;
        synchronized (this) {
            if (aborted || ended || !content.isReadable()) {
                content.release();
                return;
            }
            AtomicBoolean released = new AtomicBoolean();
            chunks.add(BodyChunk.of(content.nioBuffer(), false, () -> {
                if (released.compareAndSet(false, true)) content.release();
            }));
            wake = takeDemand();
        }
        wake(wake);
    }

    /** A trailer section (RFC 9114 §4.1): delivered with the end of the body. */
    synchronized void onTrailers(Fields fields) {
        trailers = fields;
    }

    /** FIN: the body is complete. */
    void onEnd() {
        Runnable wake;
        synchronized (this) {
            if (ended || aborted) return;
            ended = true;
            chunks.add(BodyChunk.end(trailers));
            wake = takeDemand();
        }
        wake(wake);
    }

    /** The agent reset the stream or the connection went away before the body ended. */
    void onFailure(Throwable cause) {
        Runnable wake;
        synchronized (this) {
            if (ended || aborted) return;
            ended = true;
            chunks.add(BodyChunk.failed(cause));
            wake = takeDemand();
        }
        wake(wake);
    }

    /**
     * A read ended. It may have brought nothing the reader waits for (a trailer section whose FIN comes in a later
     * packet, an empty DATA frame); with auto-read off the rest would stay unread, so read on while demand is open.
     */
    void onReadComplete() {
        boolean waiting;
        synchronized (this) {
            waiting = demand != null && !ended && !aborted;
        }
        if (waiting && stream.isActive() && !stream.isInputShutdown()) stream.read();
    }

    /** Whether the stage read the body to its end (or gave it up). */
    synchronized boolean done() {
        return lastTaken || aborted;
    }

    /** Releases whatever nobody will read. */
    void discard() {
        synchronized (this) {
            aborted = true;
            demand = null;
        }
        releaseQueued();
    }

    // ---- BodySource (any thread) ----

    @Override
    public BodyChunk read() {
        synchronized (this) {
            if (aborted) return null;
            BodyChunk chunk = chunks.poll();
            if (chunk != null && chunk.last()) lastTaken = true;
            return chunk;
        }
    }

    @Override
    public void demand(Runnable onAvailable) {
        boolean now;
        synchronized (this) {
            if (aborted) return;
            now = !chunks.isEmpty();
            if (!now) demand = onAvailable;
        }
        if (now) {
            stream.eventLoop().execute(onAvailable);
        } else {
            stream.eventLoop().execute(() -> {
                if (stream.isActive()) stream.read();
            });
        }
    }

    @Override
    public void abort(Throwable cause) {
        boolean stop;
        synchronized (this) {
            if (aborted) return;
            aborted = true;
            demand = null;
            stop = !ended;
        }
        releaseQueued();
        if (stop) {
            // RFC 9114 §4.1.1: STOP_SENDING tells the agent the rest of the body is not wanted.
            stream.eventLoop().execute(() -> {
                if (stream.isActive()) stream.shutdownInput(Http3ErrorCode.H3_REQUEST_CANCELLED.code());
            });
        }
    }

    private void releaseQueued() {
        while (true) {
            BodyChunk c;
            synchronized (this) {
                c = chunks.poll();
            }
            if (c == null) return;
            c.release();
        }
    }

    private Runnable takeDemand() {
        Runnable d = demand;
        demand = null;
        return d;
    }

    /**
     * Runs the reader's callback as a task of its own, never inside the Netty event that brought the data. The
     * reader answers from that callback (the echo writes its last DATA and FIN there), and a FIN written from inside
     * Netty QUIC's receive processing (closeOnRead, fired from QuicheQuicChannel.recv/recvComplete) is taken by
     * quiche, its promise succeeds, yet no packet leaves until something else makes the connection send: an idle
     * agent then waits for the whole idle timeout (seen: about 1 GET in 25 without a response end for 10 s).
     */
    private void wake(Runnable r) {
        if (r != null) stream.eventLoop().execute(r);
    }
}
