package io.acip.gateway.origin;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.ResponseSink;
import io.acip.ingress.WriteCallback;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.util.ReferenceCountUtil;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One exchange to a cleartext HTTP/1.1 origin through {@link LoopOrigins}, on one loop from start to end: every
 * event (connection, origin bytes, write completions, the agent's content, a timer) is handled there, so its state
 * needs no lock. The request content goes one chunk at a time, the next pulled once the origin's socket took the
 * previous; the response goes to the sink one piece at a time, and the origin is read only while the sink keeps up.
 * It ends once, in {@link #finish()} or {@link #fail(Throwable)}; the connection goes back to the pool only when both
 * messages were complete and the origin keeps it alive.
 */
final class LoopOriginExchange {
    final LoopOrigins.Key key;
    final int loop;
    private final LoopOrigins client;
    private final EventLoop eventLoop;
    private final HttpRequest head;
    private final boolean headRequest;
    private final AgentRequestContent content;
    private final OriginTimers timers;
    private final ResponseSink sink;
    private final String proxyName;
    private final int maxResponseHead;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Response pieces decoded and not yet passed on; the first may be in the sink's hands ({@link #inSink}). */
    private final ArrayDeque<HttpContent> received = new ArrayDeque<>();
    private final WriteCallback written = this::writtenOnAnyThread;
    private final ChannelFutureListener requestWritten = this::requestWritten;
    private final Runnable contentAvailable = this::contentAvailable;

    private LoopOrigins.Origin queuedAt;
    private OriginConnection connection;
    private boolean ended;
    private boolean requestSent;
    private boolean responseBegun;
    private boolean responseReceived;
    private boolean keepAlive;
    private boolean interim;
    private boolean sending;
    /** A demand for the agent's content is pending: the source takes one at a time. */
    private boolean demanding;
    private boolean pumping;
    /** A sink call has not completed yet. */
    private boolean sinkBusy;
    /** The piece the sink is writing, released once it has. */
    private HttpContent inSink;
    /** Inside a sink call, where the sink must not be called again. */
    private boolean callingSink;
    private boolean lastGiven;
    private Fields trailersAfter;

    LoopOriginExchange(LoopOrigins client, LoopOrigins.Key key, int loop, HttpRequest head,
                       AgentRequestContent content, OriginTimers timers, ResponseSink sink, String proxyName,
                       int maxResponseHead) {
        this.client = client;
        this.key = key;
        this.loop = loop;
        this.eventLoop = client.loop(loop);
        this.head = head;
        this.headRequest = "HEAD".equals(head.method().name());
        this.content = content;
        this.timers = timers;
        this.sink = sink;
        this.proxyName = proxyName;
        this.maxResponseHead = maxResponseHead;
    }

    CompletableFuture<Void> start() {
        onLoop(() -> {
            timers.sending(cause -> onLoop(() -> fail(cause)));
            client.acquire(this);
        });
        return done;
    }

    boolean ended() {
        return ended;
    }

    void queuedAt(LoopOrigins.Origin origin) {
        queuedAt = origin;
    }

    void dequeued() {
        queuedAt = null;
    }

    // ---- the connection ----

    void connected(OriginConnection c) {
        queuedAt = null;
        if (ended) {
            client.release(c);
            return;
        }
        connection = c;
        c.attach(this, headRequest);
        timers.connected();
        if (content == null) {
            c.channel().write(head, c.channel().voidPromise());
            c.channel().writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(requestWritten);
        } else {
            c.channel().write(head, c.channel().voidPromise());
            send();
        }
    }

    void connectFailed(Throwable cause) {
        fail(cause);
    }

    /** The origin closed the connection while this exchange used it. */
    void connectionClosed() {
        connection = null;
        fail(new EOFException("the origin closed the connection"));
    }

    // ---- request content, agent to origin ----

    private void contentAvailable() {
        onLoop(() -> {
            demanding = false;
            send();
        });
    }

    /** Writes the agent's next chunk, if one is there; its write's completion writes the one after. */
    private void send() {
        while (!ended && !sending && !demanding && connection != null && !requestSent) {
            BodyChunk c = content.take();
            if (c == null) {
                connection.channel().flush(); // the head, at least: an origin may answer from it alone
                demanding = true;
                content.demand(contentAvailable);
                return;
            }
            if (c.failure() != null) {
                fail(c.failure());
                return;
            }
            if (!c.last() && !c.data().hasRemaining()) {
                c.release();
                continue;
            }
            ByteBuf data = c.data().hasRemaining() ? Unpooled.wrappedBuffer(c.data()) : Unpooled.EMPTY_BUFFER;
            HttpContent piece = c.last() ? last(data, c.trailers()) : new DefaultHttpContent(data);
            sending = true;
            connection.channel().writeAndFlush(piece).addListener(f -> {
                c.release();
                sending = false;
                if (!f.isSuccess()) {
                    if (!ended && connection != null) fail(f.cause());
                } else if (c.last()) {
                    requestWritten(null);
                } else {
                    timers.activity();
                    send();
                }
            });
            return; // the write's completion (perhaps already run) goes on
        }
    }

    /** The last piece: trailers go only in chunked content (RFC 9112 §7.1.2), which unknown lengths use. */
    private LastHttpContent last(ByteBuf data, Fields trailers) {
        if (trailers.isEmpty() || !HttpUtil.isTransferEncodingChunked(head)) return new DefaultLastHttpContent(data);
        HttpHeaders t = new DefaultHttpHeaders();
        for (Field f : trailers.lines()) t.add(f.name(), f.value());
        return new DefaultLastHttpContent(data, t);
    }

    private void requestWritten(ChannelFuture f) {
        if (ended) return;
        if (f != null && !f.isSuccess()) {
            fail(f.cause());
            return;
        }
        requestSent = true;
        timers.requestSent();
        if (responseReceived) connectionDone();
    }

    // ---- the response, origin to agent ----

    void received(HttpObject msg) {
        if (ended) {
            ReferenceCountUtil.release(msg);
            return;
        }
        DecoderResult result = msg.decoderResult();
        if (result.isFailure()) {
            ReferenceCountUtil.release(msg);
            fail(notHttp(result.cause()));
            return;
        }
        if (msg instanceof HttpResponse r) responseHead(r);
        if (!(msg instanceof HttpContent piece)) return;
        if (interim || ended) { // the interim response's (empty) end, or a head that failed
            if (piece instanceof LastHttpContent) interim = false;
            piece.release();
            return;
        }
        received.addLast(piece);
        if (piece instanceof LastHttpContent) {
            responseReceived = true;
            if (requestSent) {
                connectionDone();
            } else { // the origin answered before it read all the content: the rest is not wanted
                if (content != null) content.abort(new IOException("the origin answered before the request's end"));
                OriginConnection c = connection;
                connection = null;
                if (c != null) c.detachAndClose();
            }
        }
        pump();
    }

    private void responseHead(HttpResponse r) {
        int status = r.status().code();
        if (status < 100) {
            fail(new OriginException(OriginFailures.answer(ProxyErrorType.HTTP_PROTOCOL_ERROR,
                    "origin status " + status + " is out of range")));
            return;
        }
        if (status < 200) {
            interim = true;
            if (status == 101) {
                fail(new OriginException(OriginFailures.answer(ProxyErrorType.HTTP_PROTOCOL_ERROR,
                        "origin switched protocols unasked")));
            } else if (status == 103) {
                informational(r);
            }
            return;
        }
        responseBegun = true;
        timers.responseBegun();
        keepAlive = HttpUtil.isKeepAlive(r);
        ResponseHead h;
        try {
            Fields fields = OriginHeaders.received(r.headers(), "header");
            OriginFailures.checkHeadSize(OriginHeaders.headSize(r.status().reasonPhrase(), fields), maxResponseHead);
            h = new ResponseHead(status, OriginHeaders.fromOrigin(fields, r.protocolVersion().text(), proxyName));
        } catch (OriginException e) {
            fail(e);
            return;
        } catch (IllegalArgumentException e) {
            fail(new OriginException(OriginFailures.answer(ProxyErrorType.HTTP_PROTOCOL_ERROR,
                    "origin status is out of range"), e));
            return;
        }
        give(Write.HEAD, h);
    }

    /** A 103 Early Hints (RFC 8297), passed on before the final head; an unusable one is dropped (§2). */
    private void informational(HttpResponse r) {
        try {
            ResponseHead hints = new ResponseHead(103, OriginHeaders.fromOrigin(
                    OriginHeaders.received(r.headers(), "header"), r.protocolVersion().text(), proxyName));
            callingSink = true;
            sink.informational(hints);
        } catch (OriginException | IllegalArgumentException e) {
            // advisory only
        } finally {
            callingSink = false;
        }
    }

    /** Both messages are complete: the connection carries the next exchange, or closes. */
    private void connectionDone() {
        OriginConnection c = connection;
        connection = null;
        if (c == null) return;
        if (keepAlive) {
            c.detach();
        } else {
            c.detachAndClose();
        }
    }

    /** Passes received pieces on, one sink call at a time. */
    private void pump() {
        if (pumping) return; // the running pump sees what was added
        pumping = true;
        try {
            while (!sinkBusy && !ended) {
                if (trailersAfter != null) {
                    Fields t = trailersAfter;
                    trailersAfter = null;
                    lastGiven = true;
                    give(Write.TRAILERS, t);
                    continue;
                }
                HttpContent piece = received.pollFirst();
                if (piece == null) break;
                timers.activity();
                ByteBuf data = piece.content();
                if (!(piece instanceof LastHttpContent last)) {
                    if (!data.isReadable()) {
                        piece.release();
                        continue;
                    }
                    give(Write.CONTENT, piece);
                    continue;
                }
                Fields trailers;
                try {
                    trailers = OriginHeaders.trailers(OriginHeaders.received(last.trailingHeaders(), "trailer"));
                } catch (OriginException e) {
                    piece.release();
                    fail(e);
                    return;
                }
                if (trailers.isEmpty()) {
                    lastGiven = true;
                    give(Write.LAST, piece);
                } else if (data.isReadable()) {
                    trailersAfter = trailers;
                    give(Write.CONTENT, piece);
                } else {
                    piece.release();
                    lastGiven = true;
                    give(Write.TRAILERS, trailers);
                }
            }
            // Read on only while everything received was passed on (hop-by-hop backpressure).
            OriginConnection c = connection;
            if (c != null && !ended) c.reading(!sinkBusy && received.isEmpty());
        } finally {
            pumping = false;
        }
    }

    private enum Write { HEAD, CONTENT, LAST, TRAILERS }

    /**
     * One sink call: the head, a piece of content ({@code CONTENT}, or {@code LAST} to end the response) or the
     * trailers, as {@code what} says of {@code arg}; a sink that throws has failed the write.
     */
    private void give(Write what, Object arg) {
        sinkBusy = true;
        callingSink = true;
        try {
            switch (what) {
                case HEAD -> sink.head((ResponseHead) arg, written);
                case CONTENT, LAST -> {
                    inSink = (HttpContent) arg;
                    sink.content(inSink.content().nioBuffer(), what == Write.LAST, written);
                }
                case TRAILERS -> sink.trailers((Fields) arg, written);
            }
        } catch (RuntimeException e) {
            writtenOnLoop(e);
        } finally {
            callingSink = false;
        }
    }

    private void writtenOnAnyThread(Throwable failure) {
        if (eventLoop.inEventLoop()) {
            writtenOnLoop(failure);
        } else {
            eventLoop.execute(() -> writtenOnLoop(failure));
        }
    }

    private void writtenOnLoop(Throwable failure) {
        if (!sinkBusy) return; // a sink that threw and then called back: counted once
        sinkBusy = false;
        HttpContent piece = inSink;
        inSink = null;
        if (piece != null) piece.release();
        if (ended) return;
        if (failure != null) {
            fail(failure);
            return;
        }
        timers.activity();
        if (lastGiven && trailersAfter == null) {
            finish();
        } else {
            pump();
        }
    }

    // ---- the end ----

    private void finish() {
        if (ended) return;
        ended = true;
        timers.cancel();
        done.complete(null);
    }

    void fail(Throwable cause) {
        if (ended) return;
        ended = true;
        timers.cancel();
        if (queuedAt != null) {
            client.dequeue(queuedAt, this);
            queuedAt = null;
        }
        OriginConnection c = connection;
        connection = null;
        if (c != null) c.detachAndClose();
        for (HttpContent piece; (piece = received.pollFirst()) != null; ) piece.release();
        if (content != null) content.abort(cause);
        HttpFailure failure = OriginFailures.classify(cause, requestSent, responseBegun);
        if (callingSink) {
            eventLoop.execute(() -> sink.fail(failure));
        } else {
            sink.fail(failure);
        }
        done.completeExceptionally(cause);
    }

    /** What the decoder could not read, as the agent is told. */
    private static Throwable notHttp(Throwable cause) {
        if (cause instanceof PrematureChannelClosureException) {
            return new EOFException("the origin closed the connection before the response's end");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new OriginException(OriginFailures.answer(ProxyErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE,
                    "origin's response head is too large"), cause);
        }
        return new OriginException(OriginFailures.answer(ProxyErrorType.HTTP_PROTOCOL_ERROR,
                "origin response is not valid HTTP"), cause);
    }

    private void onLoop(Runnable task) {
        if (eventLoop.inEventLoop()) {
            task.run();
        } else {
            eventLoop.execute(task);
        }
    }
}
