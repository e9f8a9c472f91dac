package io.acip.ingress.jetty;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.ResponseSink;
import io.acip.ingress.WriteCallback;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * A response written through Jetty's {@code Response.write(last, buffer, callback)}: each piece completes its
 * {@link WriteCallback} only when Jetty's write completed, so the agent's pace reaches the source. Nothing is
 * buffered here.
 */
final class JettyResponseSink implements ResponseSink {
    private final Request request;
    private final Response response;
    private final ExchangeCompletion completion;
    private final String proxyName;
    private final String via;
    private final IngressCounters counters;
    private final boolean trailersAllowed;
    private final AtomicBoolean committed = new AtomicBoolean();
    private final AtomicReference<HttpFields> trailers = new AtomicReference<>();
    private volatile CompletableFuture<Void> interim;

    /** @param via this gateway's {@code Via} value, or null to add none */
    JettyResponseSink(Request request, Response response, ExchangeCompletion completion, String proxyName,
                      String via, IngressCounters counters) {
        this.request = request;
        this.response = response;
        this.completion = completion;
        this.proxyName = proxyName;
        this.via = via;
        this.counters = counters;
        this.trailersAllowed = trailersAllowed(request);
    }

    /**
     * HTTP/2 always carries trailers; HTTP/1.1 only in chunked content to an agent that said it accepts them
     * (RFC 9110 §6.5.1, §10.1.4 {@code TE: trailers}), as otherwise it may discard or choke on them.
     */
    private static boolean trailersAllowed(Request request) {
        HttpVersion v = request.getConnectionMetaData().getHttpVersion();
        if (v == HttpVersion.HTTP_2 || v == HttpVersion.HTTP_3) return true;
        return v == HttpVersion.HTTP_1_1 && request.getHeaders().contains(HttpHeader.TE, "trailers");
    }

    @Override
    public void informational(ResponseHead head) {
        int status = head.status();
        if (!head.isInformational() || status == HttpStatus.SWITCHING_PROTOCOLS_101 || committed.get()
                || completion.isDone() || request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_0) {
            counters.increment("ingress.response.informational_dropped");
            return;
        }
        try {
            interim = response.writeInterim(status, HeaderFields.toJetty(head.fields()));
        } catch (RuntimeException e) {
            counters.increment("ingress.response.informational_failed");
        }
    }

    @Override
    public void head(ResponseHead head, WriteCallback done) {
        head(head, BufferUtil.EMPTY_BUFFER, false, done);
    }

    /** One write commits the head with {@code content}: even an empty one, so the head leaves now. */
    @Override
    public void head(ResponseHead head, ByteBuffer content, boolean last, WriteCallback done) {
        if (head.isInformational()) {
            done.done(new IllegalArgumentException("a final response needs a status of 200 to 599, not "
                    + head.status()));
            return;
        }
        if (!committed.compareAndSet(false, true)) {
            done.done(new IllegalStateException("the response head was already sent"));
            return;
        }
        CompletableFuture<Void> pending = interim;
        if (pending != null && !pending.isDone()) {
            pending.whenComplete((ignored, failure) -> sendHead(head, content, last, done)); // 1xx first, in order
        } else {
            sendHead(head, content, last, done);
        }
    }

    private void sendHead(ResponseHead head, ByteBuffer content, boolean last, WriteCallback done) {
        try {
            response.setStatus(head.status());
            HttpFields.Mutable fields = response.getHeaders();
            HeaderFields.copyTo(head.fields(), fields);
            if (via != null) fields.add(HttpHeader.VIA, via);
            // Jetty takes the trailer supplier when it commits, so it is set now and filled by trailers().
            if (trailersAllowed && !fields.contains(HttpHeader.CONTENT_LENGTH)) {
                response.setTrailersSupplier(trailers::get);
            }
        } catch (RuntimeException e) {
            done.done(e);
            completion.fail(e);
            return;
        }
        // The write commits, even an empty one: the head leaves now, which an SSE stream or a slow first byte needs.
        write(last, content, done);
    }

    @Override
    public void content(ByteBuffer data, boolean last, WriteCallback done) {
        if (!committed.get()) {
            done.done(new IllegalStateException("content before the response head"));
            return;
        }
        write(last, data, done);
    }

    @Override
    public void trailers(Fields fields, WriteCallback done) {
        if (!committed.get()) {
            done.done(new IllegalStateException("trailers before the response head"));
            return;
        }
        if (!fields.isEmpty()) {
            if (response.getTrailersSupplier() != null) {
                trailers.set(HeaderFields.toJetty(fields));
            } else {
                counters.increment("ingress.response.trailers_dropped");
            }
        }
        write(true, BufferUtil.EMPTY_BUFFER, done);
    }

    private void write(boolean last, ByteBuffer data, WriteCallback done) {
        if (completion.isDone()) {
            done.done(new IOException("the exchange has already ended"));
            return;
        }
        Callback written = Callback.from(() -> {
            if (last) completion.succeed();
            done.done(null);
        }, failure -> {
            counters.increment("ingress.response.write_failed");
            completion.fail(failure);
            done.done(failure);
        });
        try {
            response.write(last, data, written);
        } catch (RuntimeException e) {
            written.failed(e);
        }
    }

    @Override
    public void fail(HttpFailure failure) {
        if (completion.isDone()) return;
        if (committed.compareAndSet(false, true)) {
            counters.increment("ingress.response.failed_before_commit");
            try {
                ProblemResponse.write(response, proxyName, failure,
                        Callback.from(completion::succeed, completion::fail));
            } catch (RuntimeException e) {
                completion.fail(e);
            }
        } else {
            // Too late for a status: make the agent see an incomplete response, never a clean truncated one.
            counters.increment("ingress.response.aborted");
            completion.fail(new IOException("response aborted by the gateway: " + failure.error().token() + ": "
                    + failure.detail()));
        }
    }

    @Override
    public boolean committed() {
        return committed.get();
    }
}
