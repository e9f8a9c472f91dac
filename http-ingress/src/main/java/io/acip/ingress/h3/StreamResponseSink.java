package io.acip.ingress.h3;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.ResponseSink;
import io.acip.ingress.WriteCallback;
import io.acip.ingress.jetty.IngressCounters;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.Http3ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A response written as HTTP/3 frames on the request stream. Calls may come from any thread; each is carried out on
 * the stream's event loop, and its callback completes once the frame has been taken by QUIC and the stream is
 * writable, so a slow agent slows the source down. Content is copied into a Netty buffer when the call is made.
 */
final class StreamResponseSink implements ResponseSink {
    private final StreamWriter writer;
    private final String proxyName;
    private final String via;
    private final IngressCounters counters;
    private final Consumer<Throwable> onEnd; // the exchange ended: null when the response was sent whole
    private final AtomicBoolean committed = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();

    /** @param via this gateway's {@code Via} value, or null to add none */
    StreamResponseSink(StreamWriter writer, String proxyName, String via, IngressCounters counters,
                       Consumer<Throwable> onEnd) {
        this.writer = writer;
        this.proxyName = proxyName;
        this.via = via;
        this.counters = counters;
        this.onEnd = onEnd;
    }

    @Override
    public void informational(ResponseHead head) {
        if (!head.isInformational() || head.status() == 101 || committed.get()) return;
        onLoop(() -> {
            if (!committed.get() && !ended.get()) {
                writer.write(StreamWriter.headers(head.status(), head.fields(), null), false, f -> { });
            }
        });
    }

    @Override
    public void head(ResponseHead head, WriteCallback done) {
        if (head.isInformational()) {
            done.done(new IllegalArgumentException("a final response needs a status of 200 to 599, not "
                    + head.status()));
            return;
        }
        if (!committed.compareAndSet(false, true)) {
            done.done(new IllegalStateException("the response head was already sent"));
            return;
        }
        onLoop(() -> write(StreamWriter.headers(head.status(), head.fields(), via), false, done));
    }

    @Override
    public void content(ByteBuffer data, boolean last, WriteCallback done) {
        if (!committed.get()) {
            done.done(new IllegalStateException("content before the response head"));
            return;
        }
        if (!data.hasRemaining()) {
            onLoop(() -> {
                if (last) {
                    fin(done);
                } else {
                    done.done(ended.get() ? new IOException("the exchange has already ended") : null);
                }
            });
            return;
        }
        ByteBuf copy = writer.stream().alloc().directBuffer(data.remaining()).writeBytes(data.duplicate());
        onLoop(() -> write(new DefaultHttp3DataFrame(copy), last, done));
    }

    @Override
    public void trailers(Fields trailers, WriteCallback done) {
        if (!committed.get()) {
            done.done(new IllegalStateException("trailers before the response head"));
            return;
        }
        onLoop(() -> {
            if (trailers.isEmpty()) {
                fin(done);
            } else {
                write(StreamWriter.headers(0, trailers, null), true, done);
            }
        });
    }

    @Override
    public void fail(HttpFailure failure) {
        if (committed.compareAndSet(false, true)) {
            onLoop(() -> {
                if (ended.get()) return;
                ProblemAnswer.write(writer, proxyName, failure, f -> end(f));
            });
        } else {
            onLoop(() -> {
                if (ended.get()) return;
                // Too late for a status: the agent must see an incomplete response, never a clean truncated one.
                counters.increment(CounterNames.H3_RESPONSES_ABORTED);
                writer.reset(Http3ErrorCode.H3_INTERNAL_ERROR);
                end(new IOException("response aborted by the gateway: " + failure.error().token() + ": "
                        + failure.detail()));
            });
        }
    }

    @Override
    public boolean committed() {
        return committed.get();
    }

    /** The stream went away (agent reset, connection closed): later writes fail, the exchange ends. */
    void onStreamGone(Throwable cause) {
        end(cause);
    }

    private void write(Object frame, boolean last, WriteCallback done) {
        if (ended.get()) {
            io.netty.util.ReferenceCountUtil.release(frame);
            done.done(new IOException("the exchange has already ended"));
            return;
        }
        writer.write(frame, last, f -> {
            if (f != null || last) end(f);
            done.done(f);
        });
    }

    private void fin(WriteCallback done) {
        if (ended.get()) {
            done.done(new IOException("the exchange has already ended"));
            return;
        }
        writer.fin(f -> {
            end(f);
            done.done(f);
        });
    }

    private void end(Throwable cause) {
        if (ended.compareAndSet(false, true)) onEnd.accept(cause);
    }

    private void onLoop(Runnable task) {
        if (writer.stream().eventLoop().inEventLoop()) {
            task.run();
        } else {
            writer.stream().eventLoop().execute(task);
        }
    }
}
