package io.acip.ingress.h3;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.ingress.WriteCallback;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Set;

/**
 * Writes one request stream's response frames and completes each write's callback only once the frame has been
 * taken by QUIC and the stream is writable again, so that a slow agent (flow control) slows the writer down.
 * Every method runs on the stream's event loop.
 */
final class StreamWriter {
    /** RFC 9114 §4.2: connection-specific fields are malformed in HTTP/3; the listener never copies them. */
    private static final Set<String> CONNECTION_SPECIFIC = Set.of(
            "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te");

    private final QuicStreamChannel stream;
    private final ArrayDeque<WriteCallback> awaitingWritable = new ArrayDeque<>();
    private boolean finished;

    StreamWriter(QuicStreamChannel stream) {
        this.stream = stream;
    }

    QuicStreamChannel stream() {
        return stream;
    }

    /** Whether FIN or a reset has been sent. */
    boolean finished() {
        return finished;
    }

    /** A HEADERS frame for a response or for trailers (status 0). */
    static Http3HeadersFrame headers(int status, Fields fields, String via) {
        Http3Headers h = new DefaultHttp3Headers();
        if (status > 0) h.status(Integer.toString(status));
        for (Field f : fields.lines()) {
            if (f.isPseudo()) continue;
            String name = f.name().toLowerCase(Locale.ROOT); // RFC 9114 §4.2: lowercase on the wire
            if (CONNECTION_SPECIFIC.contains(name)) continue;
            h.add(name, f.value());
        }
        if (via != null) h.add("via", via);
        return new DefaultHttp3HeadersFrame(h);
    }

    /** Writes {@code frame} (ownership passes), then FIN when {@code fin}. */
    void write(Object frame, boolean fin, WriteCallback done) {
        if (finished) {
            io.netty.util.ReferenceCountUtil.release(frame);
            done.done(new ClosedChannelException());
            return;
        }
        if (fin) finished = true;
        ChannelFuture written = stream.writeAndFlush(frame);
        if (fin) written = written.channel().isActive() ? finAfter(written) : written;
        completeWhenWritable(written, done);
    }

    /** FIN without a frame. */
    void fin(WriteCallback done) {
        if (finished) {
            done.done(null);
            return;
        }
        finished = true;
        completeWhenWritable(stream.shutdownOutput(), done);
    }

    /** Resets the stream both ways (RESET_STREAM and STOP_SENDING) with {@code code}. */
    void reset(Http3ErrorCode code) {
        finished = true;
        if (stream.isActive()) stream.shutdown(code.code());
        releasePending();
    }

    /** STOP_SENDING: the rest of the request is not wanted (RFC 9114 §4.1: H3_NO_ERROR after a complete response). */
    void stopReading(Http3ErrorCode code) {
        if (stream.isActive()) stream.shutdownInput(code.code());
    }

    private ChannelFuture finAfter(ChannelFuture written) {
        io.netty.channel.ChannelPromise fin = stream.newPromise();
        written.addListener(f -> {
            if (!f.isSuccess()) {
                fin.setFailure(f.cause());
            } else {
                stream.shutdownOutput().addListener(g -> {
                    if (g.isSuccess()) fin.setSuccess();
                    else fin.setFailure(g.cause());
                });
            }
        });
        return fin;
    }

    private void completeWhenWritable(ChannelFuture future, WriteCallback done) {
        future.addListener(f -> {
            if (!f.isSuccess()) {
                done.done(f.cause());
            } else if (stream.isWritable() || !stream.isActive()) {
                done.done(null);
            } else {
                awaitingWritable.add(done);
            }
        });
    }

    void onWritabilityChanged() {
        while (stream.isWritable() && !awaitingWritable.isEmpty()) {
            awaitingWritable.poll().done(null);
        }
    }

    /** The stream is gone: writes QUIC already took but that wait for writability complete now. */
    void releasePending() {
        while (!awaitingWritable.isEmpty()) awaitingWritable.poll().done(null);
    }
}
