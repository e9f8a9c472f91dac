package io.acip.gateway.bridge;

import io.acip.capsule.CodecException;
import io.acip.capsule.bhttp.BinaryHttpDecoder;
import io.acip.capsule.bhttp.BinaryHttpListener;
import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.RequestHead;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.gateway.http.InitiatorFields;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.BodySource;
import io.acip.ingress.Exchange;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.ProblemDocument;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.ResponseSink;
import io.acip.ingress.WriteCallback;
import io.acip.node.IncomingSession;
import io.acip.node.Session;
import io.acip.node.SessionHandler;
import io.acip.wire.Limits;
import io.acip.wire.ResetCode;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The far side of {@link EdgeExchange}: a Binary HTTP request in a session becomes an {@link Exchange} for a local HTTP
 * stage (the origin forwarder); the session is its own, or one of a sequence that a {@link FarSession} serves
 * (docs/acip-v0.md §13). Request content is queued up to a bound and the session is paused past
 * it; response writes complete only when the session can take more, so a slow agent on the other side slows the
 * origin down. Session callbacks arrive on the node's loop; exchange calls may come from any thread.
 */
public final class FarExchange implements SessionHandler, BinaryHttpListener, Exchange, BodySource, ResponseSink {
    private final IncomingSession incoming;
    private final BridgeConfig config;
    private final Consumer<Exchange> stage;
    private final BinaryHttpDecoder decoder;
    private final Bhttp response = Bhttp.response();
    /** The session's sequence of exchanges this one is part of, or null for a session of its own. */
    private final FarSession sequence;
    private Session session;
    private RequestInfo info;
    private boolean started;

    // Request body, shared between the loop (producer) and the stage's threads (consumer).
    private final ArrayDeque<BodyChunk> queue = new ArrayDeque<>();
    private int queuedBytes;
    private boolean paused;
    private Runnable demand;
    private Throwable aborted;

    // Response side.
    private volatile boolean committed;
    private volatile boolean ended;
    private final io.acip.ingress.ExchangeEnd end = new io.acip.ingress.ExchangeEnd();
    private WriteCallback waitingForWritable;
    private Fields trailers = Fields.EMPTY;
    /** Informational responses given (from the stage's threads, one call at a time). */
    private final java.util.concurrent.atomic.AtomicInteger informational = new java.util.concurrent.atomic.AtomicInteger();
    /** Response bytes queued in this turn of the loop, not written yet. */
    private ByteBuf unsent;

    FarExchange(IncomingSession incoming, BridgeConfig config, Consumer<Exchange> stage) {
        this(incoming, config, stage, null);
    }

    FarExchange(IncomingSession incoming, BridgeConfig config, Consumer<Exchange> stage, FarSession sequence) {
        this.incoming = incoming;
        this.config = config;
        this.stage = stage;
        this.sequence = sequence;
        this.decoder = BinaryHttpDecoder.forRequest(config.limits(), this);
    }

    // ---- session side (node loop) ----

    @Override
    public void onOpen(Session s) {
        session = s;
    }

    @Override
    public void onData(Session s, ByteBuf data, boolean fin) {
        ByteBuffer in = data.nioBuffer();
        decode(s, () -> {
            decoder.decode(in);
            if (fin) decoder.finish();
        });
    }

    /** In a sequence: reads up to the end of this request and leaves what follows in {@code in} (§13.2). */
    void deliver(Session s, ByteBuffer in) {
        decode(s, () -> decoder.decodeMessage(in));
    }

    /** The request arrived whole. */
    boolean requestComplete() {
        return decoder.isComplete();
    }

    private interface Decoding {
        void run() throws CodecException;
    }

    private void decode(Session s, Decoding step) {
        try {
            step.run();
            // The stage starts once what arrived with the head is queued: Binary HTTP says whether content follows
            // only by what comes next, and the edge sends a request without content as head and end together, so
            // the origin gets no body framing for it (RFC 9112 §6.3).
            if (info != null && !started) {
                started = true;
                stage.accept(this);
            }
        } catch (CodecException e) {
            enqueue(BodyChunk.failed(new IllegalStateException("malformed Binary HTTP request: " + e.getMessage())));
            if (info == null || sequence != null) { // in a sequence, the next message's start is lost too
                s.reset(ResetCode.PROTOCOL_VIOLATION, "malformed Binary HTTP request: " + e.getMessage());
            } else {
                fail(new HttpFailure(400, io.acip.capsule.proxystatus.ProxyErrorType.HTTP_REQUEST_ERROR,
                        e.getMessage()));
            }
        }
    }

    @Override
    public void onRequestHead(RequestHead head, Fields headers) {
        List<Field> lines = new ArrayList<>(headers.lines().size() + 1);
        lines.add(new Field("host", head.authority()));
        // Who calls, as this node verified it, replacing whatever arrived under those names (docs/security.md).
        lines.addAll(InitiatorFields.strip(headers).lines());
        lines.addAll(InitiatorFields.of(incoming.attested()));
        InetSocketAddress none = InetSocketAddress.createUnresolved(incoming.initiator(), 0);
        info = new RequestInfo(head.method(), head.scheme(), head.authority(), head.path(), new Fields(lines),
                RequestInfo.BHTTP, RequestInfo.Form.ORIGIN, "https".equals(head.scheme()), none, null);
    }

    @Override
    public void onContent(ByteBuffer content) {
        ByteBuffer copy = ByteBuffer.allocate(content.remaining()).put(content).flip();
        int n = copy.remaining();
        enqueue(BodyChunk.of(copy, false, () -> released(n)));
    }

    @Override
    public void onTrailers(Fields t) {
        trailers = InitiatorFields.strip(t); // a trailer must not pass for the verified field either
    }

    @Override
    public void onComplete() {
        enqueue(BodyChunk.end(trailers));
    }

    @Override
    public void onWritabilityChanged(Session s, boolean writable) {
        WriteCallback cb = waitingForWritable;
        if (writable && cb != null) {
            waitingForWritable = null;
            cb.done(null);
        }
    }

    @Override
    public void onReset(Session s, ResetCode code, String detail) {
        ended = true;
        enqueue(BodyChunk.failed(new IllegalStateException("session reset: " + code.token() + " " + detail)));
        WriteCallback cb = waitingForWritable;
        waitingForWritable = null;
        if (cb != null) cb.done(new IllegalStateException("session reset: " + code.token()));
        end.fire();
    }

    @Override
    public void onClose(Session s) {
        ended = true;
        end.fire();
    }

    /** The exchange ends with its session. */
    @Override
    public void onEnd(Runnable action) {
        end.add(action);
    }

    // ---- request body for the stage (any thread) ----

    private void enqueue(BodyChunk chunk) {
        Runnable toRun;
        synchronized (this) {
            if (aborted != null) {
                chunk.release();
                return;
            }
            queue.add(chunk);
            queuedBytes += chunk.data().remaining();
            if (queuedBytes > config.maxBufferedBytes() && !paused) {
                paused = true;
                session.setReadable(false);
            }
            toRun = demand;
            demand = null;
        }
        if (toRun != null) toRun.run();
    }

    private void released(int n) {
        boolean resume;
        synchronized (this) {
            queuedBytes -= n;
            resume = paused && queuedBytes <= config.maxBufferedBytes() / 2;
            if (resume) paused = false;
        }
        if (resume) session.setReadable(true);
    }

    @Override
    public synchronized BodyChunk read() {
        return queue.poll();
    }

    @Override
    public void demand(Runnable onAvailable) {
        boolean now;
        synchronized (this) {
            now = !queue.isEmpty();
            if (!now) demand = onAvailable;
        }
        if (now) onAvailable.run();
    }

    @Override
    public void abort(Throwable cause) {
        List<BodyChunk> drop;
        synchronized (this) {
            aborted = cause;
            drop = new ArrayList<>(queue);
            queue.clear();
        }
        drop.forEach(BodyChunk::release);
    }

    // ---- the exchange ----

    @Override
    public RequestInfo request() {
        return info;
    }

    @Override
    public BodySource body() {
        return this;
    }

    @Override
    public ResponseSink response() {
        return this;
    }

    // ---- response to the session (any thread; one call at a time) ----

    @Override
    public void informational(ResponseHead head) {
        if (informational.incrementAndGet() <= Bhttp.MAX_INFORMATIONAL) send(response.informational(head), false, null);
    }

    @Override
    public void head(ResponseHead head, WriteCallback done) {
        committed = true;
        send(response.head(head), false, done);
    }

    @Override
    public void content(ByteBuffer data, boolean last, WriteCallback done) {
        send(response.content(data, last ? Fields.EMPTY : null), last, done);
    }

    @Override
    public void trailers(Fields t, WriteCallback done) {
        send(response.content(ByteBuffer.allocate(0), t), true, done);
    }

    @Override
    public void fail(HttpFailure failure) {
        if (ended) return;
        if (committed) {
            ended = true;
            session.eventLoop().execute(() -> {
                flush(); // what was queued goes first: the agent must see its response cut, not replaced
                session.reset(ResetCode.DESTINATION_UNAVAILABLE, "response failed after its head: " + failure.detail());
            });
            return;
        }
        committed = true;
        byte[] body = ProblemDocument.json(failure).getBytes(StandardCharsets.UTF_8);
        ResponseHead head = new ResponseHead(ProblemDocument.status(failure), Fields.of("proxy-status",
                ProblemDocument.proxyStatus(config.proxyName(), failure), "content-type", ProblemDocument.MEDIA_TYPE,
                "content-length", Integer.toString(body.length)));
        send(response.head(head), false, null);
        send(response.content(ByteBuffer.wrap(body), Fields.EMPTY), true, null);
    }

    @Override
    public boolean committed() {
        return committed;
    }

    /**
     * Queues on the session's loop; completes {@code done} when the session can take more. What is queued in one
     * turn of the loop leaves as one write: a head and the content the origin sent with it go in one DATA packet,
     * not two (a third less packet protection for a small response), and nothing waits past the turn.
     */
    private void send(ByteBuf bytes, boolean last, WriteCallback done) {
        if (session.eventLoop().inEventLoop()) {
            queue(bytes, last, done);
        } else {
            session.eventLoop().execute(() -> queue(bytes, last, done));
        }
    }

    private void queue(ByteBuf bytes, boolean last, WriteCallback done) {
        if (ended) {
            bytes.release();
            if (done != null) done.done(new IllegalStateException("session ended"));
            return;
        }
        if (last) ended = true;
        if (unsent == null) {
            unsent = bytes;
            if (!last) session.eventLoop().execute(this::flush);
        } else {
            unsent = Bhttp.joined(unsent, bytes);
        }
        if (last || unsent.readableBytes() >= Limits.MAX_DATA_PLAINTEXT) flush(last);
        if (done == null) return;
        if (last || session.isWritableByApplication()) {
            done.done(null);
        } else {
            waitingForWritable = done;
        }
    }

    private void flush() {
        flush(false);
    }

    private void flush(boolean last) {
        ByteBuf b = unsent;
        if (b == null) return;
        unsent = null;
        boolean fin = last && (sequence == null || sequence.endsWith(this));
        session.write(b, fin);
        if (last && sequence != null) {
            end.fire(); // the exchange is over, the session goes on
            sequence.responseDone(this, fin);
        }
    }
}
