package io.acip.gateway.origin;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.Exchange;
import io.acip.ingress.ResponseSink;
import io.acip.ingress.WriteCallback;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.Trailers;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.thread.SerializedExecutor;

/**
 * One exchange in flight to an origin: the client's events in, the agent's response sink out. The response head is
 * written first; content is then pumped one chunk at a time, the next read only once the sink completed the
 * previous write. Every way it can end (success, origin failure, timer, agent gone) funnels into
 * {@link #finish()} or {@link #fail(Throwable)}, each effective once.
 */
final class OriginExchange {
    private final Request request;
    private final ResponseSink sink;
    private final String proxyName;
    private final OriginTimers timers;
    private final AgentRequestContent content;
    // The sink takes one call at a time; failures arrive on other threads than the pump's.
    private final SerializedExecutor toSink = new SerializedExecutor();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    // The pump starts once both the head was written and the client handed over the content source.
    private final AtomicInteger untilPump = new AtomicInteger(2);
    // Done once the pump passed the whole response on and the client finished both directions (chunks released).
    private final AtomicInteger untilDone = new AtomicInteger(2);
    private final Pump pump = new Pump();
    private volatile boolean requestSent;
    private volatile boolean responseBegun;
    private volatile Response response;
    private volatile Content.Source source;
    private final int maxResponseHead;

    OriginExchange(Request request, Exchange exchange, AgentRequestContent content, OriginTimers timers,
                   String proxyName, int maxResponseHead) {
        this.maxResponseHead = maxResponseHead;
        this.request = request;
        this.sink = exchange.response();
        this.content = content;
        this.timers = timers;
        this.proxyName = proxyName;
    }

    CompletableFuture<Void> send() {
        request.onRequestBegin(r -> timers.connected())
                .onRequestSuccess(r -> {
                    requestSent = true;
                    timers.requestSent();
                })
                .onResponseBegin(r -> {
                    responseBegun = true;
                    timers.responseBegun();
                })
                .onResponseHeaders(this::onHeaders)
                .onResponseContentSource(this::onContentSource);
        timers.sending(request::abort);
        request.send(this::onComplete);
        return done;
    }

    /** A 103 Early Hints from the origin (RFC 8297), passed on before the final head. */
    void informational(int status, HttpFields fields) {
        if (ended.get() || response != null) return; // hints come before the final head only
        try {
            ResponseHead head = new ResponseHead(status, OriginHeaders.fromOrigin(
                    OriginHeaders.received(fields, "header"), "HTTP/1.1", proxyName));
            toSink.execute(() -> sink.informational(head));
        } catch (OriginException | IllegalArgumentException e) {
            // An unusable hint is dropped: hints are advisory (RFC 8297 §2).
        }
    }

    private void onHeaders(Response r) {
        response = r;
        ResponseHead head;
        try {
            if (r.getStatus() < 200) {
                throw new OriginException(OriginFailures.answer(ProxyErrorType.HTTP_PROTOCOL_ERROR,
                        "origin answered " + r.getStatus() + " as its final response"));
            }
            Fields received = OriginHeaders.received(r.getHeaders(), "header");
            OriginFailures.checkHeadSize(OriginHeaders.headSize(r.getReason(), received), maxResponseHead);
            head = new ResponseHead(r.getStatus(), OriginHeaders.fromOrigin(received, r.getVersion().asString(),
                    proxyName));
        } catch (OriginException e) {
            r.abort(e);
            return;
        } catch (IllegalArgumentException e) {
            r.abort(new OriginException(OriginFailures.answer(ProxyErrorType.HTTP_PROTOCOL_ERROR,
                    "origin status is out of range"), e));
            return;
        }
        write(done -> sink.head(head, done), failure -> {
            if (failure != null) {
                fail(failure);
            } else if (untilPump.decrementAndGet() == 0) {
                pump.iterate();
            }
        });
    }

    private void onContentSource(Response r, Content.Source s) {
        source = s;
        if (untilPump.decrementAndGet() == 0) pump.iterate();
    }

    private void onComplete(Result result) {
        if (result.getResponseFailure() == null || pump.lastWritten) {
            // The response arrived in full (the pump finishes passing it on). A request failure alongside means
            // the origin answered without taking all the content: the agent's remaining content is not wanted.
            if (result.getRequestFailure() != null && content != null) content.abort(result.getRequestFailure());
            finish();
            return;
        }
        fail(result.getResponseFailure());
    }

    private void fail(Throwable cause) {
        if (!ended.compareAndSet(false, true)) return;
        timers.cancel();
        request.abort(cause);
        if (content != null) content.abort(cause);
        var failure = OriginFailures.classify(cause, requestSent, responseBegun);
        toSink.execute(() -> sink.fail(failure));
        done.completeExceptionally(cause);
    }

    private void finish() {
        if (untilDone.decrementAndGet() > 0 || !ended.compareAndSet(false, true)) return;
        timers.cancel();
        done.complete(null);
    }

    /** Calls the sink on the serial lane; a sink that throws has failed the write. */
    private void write(Consumer<WriteCallback> call, WriteCallback callback) {
        toSink.execute(() -> {
            try {
                call.accept(callback);
            } catch (RuntimeException e) {
                callback.done(e);
            }
        });
    }

    /** Origin content to the sink, one chunk in flight; trailers (or an empty last write) end it. */
    private final class Pump extends IteratingCallback {
        private Content.Chunk inFlight;
        private Fields trailersAfter;
        private volatile boolean lastWritten;

        @Override
        protected Action process() throws Throwable {
            release();
            if (lastWritten || ended.get()) return Action.SUCCEEDED;
            if (trailersAfter != null) {
                Fields t = trailersAfter;
                lastWritten = true;
                write(cb -> sink.trailers(t, cb), this::written);
                return Action.SCHEDULED;
            }
            while (true) {
                Content.Chunk chunk = source.read();
                if (chunk == null) {
                    source.demand(this::iterate);
                    return Action.IDLE;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    if (!chunk.isLast()) source.fail(chunk.getFailure());
                    throw chunk.getFailure();
                }
                timers.activity();
                if (!chunk.isLast() && !chunk.hasRemaining()) {
                    chunk.release();
                    continue;
                }
                inFlight = chunk;
                ByteBuffer data = chunk.getByteBuffer();
                if (!chunk.isLast()) {
                    write(cb -> sink.content(data, false, cb), this::written);
                    return Action.SCHEDULED;
                }
                HttpFields received = chunk instanceof Trailers t ? t.getTrailers() : response.getTrailers();
                Fields trailers = OriginHeaders.trailers(OriginHeaders.received(received, "trailer"));
                if (trailers.isEmpty()) {
                    lastWritten = true;
                    write(cb -> sink.content(data, true, cb), this::written);
                } else if (data.hasRemaining()) {
                    trailersAfter = trailers;
                    write(cb -> sink.content(data, false, cb), this::written);
                } else {
                    lastWritten = true;
                    write(cb -> sink.trailers(trailers, cb), this::written);
                }
                return Action.SCHEDULED;
            }
        }

        private void written(Throwable failure) {
            if (failure == null) {
                timers.activity();
                succeeded();
            } else {
                failed(failure);
            }
        }

        private void release() {
            if (inFlight != null) {
                inFlight.release();
                inFlight = null;
            }
        }

        @Override
        protected void onCompleteSuccess() {
            release();
            finish();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            release();
            fail(cause);
        }
    }
}
