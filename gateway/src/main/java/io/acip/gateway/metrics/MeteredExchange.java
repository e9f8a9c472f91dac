package io.acip.gateway.metrics;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.BodySource;
import io.acip.ingress.Exchange;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.ResponseSink;
import io.acip.ingress.WriteCallback;
import java.nio.ByteBuffer;

/**
 * An exchange observed on its way through: when it started, the status it was answered with, the content bytes each
 * way, and how it ended. One object per exchange (exchange, body and sink in one); {@link #onEnded} runs once when the
 * underlying exchange ends, whoever ends it, with everything known by then.
 */
public final class MeteredExchange implements Exchange, BodySource, ResponseSink, Runnable {
    /** What is done with an ended exchange (timers, the access log). */
    public interface Ended {
        void ended(MeteredExchange exchange);
    }

    private static final String TRAJECTORY = io.acip.gateway.bridge.EdgeExchange.TRAJECTORY_HEADER;
    private final Exchange inner;
    private final long startNanos;
    private final String skill;
    private final String identity;
    private final Ended onEnded;
    private volatile String trajectory;
    private volatile HttpFailure failure;
    private volatile int status;
    private volatile boolean aborted;
    private volatile long bytesIn;
    private volatile long bytesOut;
    private volatile long endNanos;

    private MeteredExchange(Exchange inner, long startNanos, String skill, String identity, Ended onEnded) {
        this.inner = inner;
        this.startNanos = startNanos;
        this.skill = skill;
        this.identity = identity;
        this.onEnded = onEnded;
    }

    /**
     * Observes {@code inner} from {@code startNanos} ({@link System#nanoTime}), for {@code skill} (a label), sent by
     * {@code identity} ({@code anonymous} when unknown).
     */
    public static MeteredExchange observe(Exchange inner, long startNanos, String skill, String identity,
                                          Ended onEnded) {
        MeteredExchange m = new MeteredExchange(inner, startNanos, skill, identity, onEnded);
        inner.onEnd(m);
        return m;
    }

    @Override
    public void run() {
        endNanos = System.nanoTime();
        onEnded.ended(this);
    }

    public String skill() {
        return skill;
    }

    /** The failure answered before the response head (a refusal, an unreachable skill), or null. */
    public HttpFailure failure() {
        return failure;
    }

    public String identity() {
        return identity;
    }

    /** The nodes the session crossed, edge first, as the response's {@code acip-trajectory} named them; empty if none. */
    public java.util.List<String> trajectory() {
        String t = trajectory;
        return t == null || t.isEmpty() ? java.util.List.of() : java.util.List.of(t.split("\\s*,\\s*"));
    }

    /** The status sent (or of the failure answered before the head), 0 when none was. */
    public int status() {
        return status;
    }

    /** Whether the response was cut after its head was sent. */
    public boolean aborted() {
        return aborted;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    public long durationNanos() {
        return endNanos - startNanos;
    }

    // ---------------------------------------------------------------- Exchange

    @Override
    public RequestInfo request() {
        return inner.request();
    }

    @Override
    public BodySource body() {
        return this;
    }

    @Override
    public ResponseSink response() {
        return this;
    }

    @Override
    public void onEnd(Runnable action) {
        inner.onEnd(action);
    }

    // ---------------------------------------------------------------- BodySource

    @Override
    public BodyChunk read() {
        BodyChunk c = inner.body().read();
        if (c != null) bytesIn += c.data().remaining(); // one reader at a time (the demand model)
        return c;
    }

    @Override
    public void demand(Runnable onAvailable) {
        inner.body().demand(onAvailable);
    }

    @Override
    public void abort(Throwable cause) {
        inner.body().abort(cause);
    }

    // ---------------------------------------------------------------- ResponseSink

    @Override
    public void informational(ResponseHead head) {
        inner.response().informational(head);
    }

    @Override
    public void head(ResponseHead head, WriteCallback done) {
        noteHead(head);
        inner.response().head(head, done);
    }

    @Override
    public void head(ResponseHead head, ByteBuffer content, boolean last, WriteCallback done) {
        noteHead(head);
        bytesOut += content.remaining();
        inner.response().head(head, content, last, done);
    }

    private void noteHead(ResponseHead head) {
        status = head.status();
        trajectory = head.fields().first(TRAJECTORY).orElse(null);
    }

    @Override
    public void content(ByteBuffer data, boolean last, WriteCallback done) {
        bytesOut += data.remaining(); // one writer at a time (ResponseSink's contract)
        inner.response().content(data, last, done);
    }

    @Override
    public void trailers(Fields trailers, WriteCallback done) {
        inner.response().trailers(trailers, done);
    }

    @Override
    public void fail(HttpFailure failure) {
        if (inner.response().committed()) {
            aborted = true;
        } else {
            status = failure.status();
            this.failure = failure;
        }
        inner.response().fail(failure);
    }

    @Override
    public boolean committed() {
        return inner.response().committed();
    }
}
