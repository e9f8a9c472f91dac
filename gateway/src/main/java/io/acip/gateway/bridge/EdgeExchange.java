package io.acip.gateway.bridge;

import io.acip.capsule.CodecException;
import io.acip.capsule.bhttp.BinaryHttpDecoder;
import io.acip.capsule.bhttp.BinaryHttpListener;
import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.RequestHead;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.gateway.discovery.AgentCardPaths;
import io.acip.gateway.discovery.CardRewritingSink;
import io.acip.gateway.http.HeaderHygiene;
import io.acip.gateway.http.InitiatorFields;
import io.acip.gateway.policy.Principal;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.Exchange;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.RequestInfo;
import io.acip.node.Session;
import io.acip.node.SessionHandler;
import io.acip.node.SessionRequest;
import io.acip.wire.Exchanges;
import io.acip.wire.ResetCode;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP exchange carried to a skill over an ACIP session (DESIGN §4): the request goes out as indeterminate-length
 * Binary HTTP, streamed chunk by chunk as the agent sends it; the response comes back the same way and is written
 * to the agent as it arrives. Nothing is buffered whole: the agent's body is read only while the session can take
 * more, and the session is read only while the agent keeps up. The session is the exchange's own, or one of a
 * sequence that its {@link PooledSession} carries (docs/acip-v0.md §13), which it hands back once request and
 * response went whole. All state lives on the session's event loop.
 */
public final class EdgeExchange implements SessionHandler, BinaryHttpListener {
    /** The response header naming the nodes the session crossed, initiator's node first. */
    public static final String TRAJECTORY_HEADER = "acip-trajectory";
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final Exchange exchange;
    private final BridgeConfig config;
    private final String path;
    private final McpSessionAffinity.Affinity affinity;
    private final Bhttp request = Bhttp.request();
    private final BinaryHttpDecoder decoder;
    private Session session;
    private EventLoop loop;
    private PooledSession carrier;
    /** The session carries a sequence of exchanges: no FIN after the request, messages read one at a time. */
    private boolean sequence;
    /** Done with the session: it went back to its pool, so nothing here may touch it again. */
    private boolean released;
    private boolean responseBegun;
    /** The whole request, kept until the response begins, to go again once if the responder never read it. */
    private ByteBuf replay;
    private SinkWriter out;
    private boolean requestSent;
    private boolean headSeen;
    private boolean done;
    private boolean demandPending;
    private Fields trailers = Fields.EMPTY;
    /**
     * The response head and the latest content, held while a packet is decoded, so that what one packet brings
     * leaves in one write: a small response goes to the agent with its head, content and end together.
     */
    private ResponseHead heldHead;
    private ByteBuffer heldContent;
    private ScheduledFuture<?> firstByteTimer;
    /** The request head, held until the first content or the end can go with it (or none is ready). */
    private ByteBuf unsentHead;
    /** Informational responses passed on to the agent (on the loop). */
    private int informational;
    private ScheduledFuture<?> idleTimer;
    private long lastActivity;

    private EdgeExchange(Exchange exchange, BridgeConfig config, String path, McpSessionAffinity.Affinity affinity) {
        this.exchange = exchange;
        this.config = config;
        this.path = path;
        this.affinity = affinity;
        this.decoder = BinaryHttpDecoder.forResponse(config.limits(), this);
    }

    /**
     * Opens a session to {@code skill} for {@code exchange}; {@code path} is what the skill sees as the request
     * target (the agent's path with any skill prefix taken off). An authenticated {@code principal} is the session's
     * initiator, attested by this node (docs/acip-v0.md §7.6); an anonymous one is named by its address.
     */
    public static void start(SessionPool pool, Exchange exchange, SkillName skill, String path, BridgeConfig config,
                             List<Tlv> metadata, Principal principal) {
        if (AgentCardPaths.isCardRequest(exchange.request().method(), path)) {
            exchange = CardRewritingSink.wrap(exchange, path); // its URLs must name this gateway as the agent used it
        }
        McpSessionAffinity.Affinity affinity = McpSessionAffinity.of(exchange.request().method(),
                exchange.request().headers());
        EdgeExchange e = new EdgeExchange(exchange, config, path, affinity);
        List<Tlv> tlvs = new ArrayList<>(metadata);
        tlvs.add(Tlv.ofString(TlvType.PAYLOAD_PROTOCOL, "bhttp"));
        if (pool.offers()) tlvs.add(Exchanges.OFFER);
        affinity.tlv().ifPresent(tlvs::add);
        exchange.request().headers().first("traceparent")
                .ifPresent(tp -> tlvs.add(Tlv.ofString(TlvType.TRACEPARENT, tp)));
        SessionRequest request;
        try {
            request = Initiator.request(skill, principal, "http", exchange.request().remote(), false, tlvs);
        } catch (Initiator.Uncarried refused) {
            exchange.body().abort(refused);
            exchange.response().fail(refused.failure());
            return;
        }
        pool.carry(request, e);
    }

    void carriedBy(PooledSession s) {
        carrier = s;
    }

    /** The session ended before any byte of the response, and the request can go again whole (§13.3). */
    boolean replayable() {
        return replay != null && !responseBegun && !done;
    }

    @Override
    public void onOpen(Session s) {
        session = s;
        loop = s.eventLoop();
        sequence = carrier != null && carrier.sequence();
        if (out == null) out = new SinkWriter(loop, busy -> {
            if (!released) session.setReadable(!busy); // a session handed back is the next exchange's to pause
        }, this::agentGone);
        if (requestSent) { // again, on a new session, after one that ended without reading it (§13.3)
            ByteBuf again = replay;
            replay = null; // a new session was never used before: it cannot have ended unread
            session.write(again, !sequence);
            return;
        }
        RequestInfo r = exchange.request();
        List<Field> extra = new ArrayList<>();
        extra.add(HeaderHygiene.via(r.protocol(), config.proxyName()));
        extra.add(new Field("forwarded", forwarded(r)));
        // Only a far gateway, from a verified attestation, may say who calls: never the agent.
        Fields headers = HeaderHygiene.forward(InitiatorFields.strip(withoutHost(affinity.headers())), extra);
        unsentHead = request.head(new RequestHead(r.method(), r.scheme(), r.authority(), path), headers);
        pumpRequest();
    }

    private static Fields withoutHost(Fields f) {
        // The authority travels in the control data; a second copy in a Host field could only disagree.
        List<Field> lines = new ArrayList<>(f.lines());
        lines.removeIf(l -> l.name().equals("host"));
        return new Fields(lines);
    }

    private String forwarded(RequestInfo r) {
        String forHost = r.remote() == null ? "unknown" : r.remote().getAddress().getHostAddress();
        if (forHost.contains(":")) forHost = "\"[" + forHost + "]\"";
        return "for=" + forHost + ";host=\"" + r.authority().replace("\"", "") + "\";proto=" + r.scheme()
                + ";by=" + config.proxyName();
    }

    /** Moves request content into the session while the session can take it. */
    private void pumpRequest() {
        demandPending = false;
        while (!requestSent && !done && !released && session.isWritableByApplication()) {
            BodyChunk c = exchange.body().read();
            if (c == null) {
                writeHead(); // content may be a while, or come only after the response began: the head goes now
                demandPending = true;
                exchange.body().demand(() -> loop.execute(this::pumpRequest));
                return;
            }
            if (c.failure() != null) {
                c.release();
                // The agent's framing was bad (a chunk size overflow) or its content stopped: its fault, so a 4xx for
                // it (if it still listens), answered before the reset, whose own answer would blame the fabric.
                fail(new HttpFailure(timedOut(c.failure()) ? 408 : 400, ProxyErrorType.HTTP_REQUEST_ERROR,
                        "request content is malformed or ended early: " + c.failure().getMessage()));
                session.reset(ResetCode.CANCELLED, "agent's request failed: " + c.failure().getMessage());
                return;
            }
            ByteBuf chunk;
            try {
                chunk = request.content(c.data(), c.last() ? c.trailers() : null);
            } finally {
                c.release();
            }
            if (unsentHead != null) {
                // Head and first content (or the end) in one write: the far side then knows at the head whether
                // content follows, and forwards a request without content without body framing.
                chunk = Unpooled.wrappedBuffer(unsentHead, chunk);
                unsentHead = null;
                if (c.last() && sequence) replay = chunk.retainedDuplicate(); // no copy: a reference until the head
            }
            session.write(chunk, c.last() && !sequence);
            lastActivity = System.nanoTime();
            if (c.last()) {
                requestSent = true;
                if (!headSeen) {
                    long ms = config.firstByteTimeout().toMillis();
                    firstByteTimer = loop.schedule(() -> timedOut(ms), ms, TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    private static boolean timedOut(Throwable t) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof java.util.concurrent.TimeoutException) return true;
        }
        return false;
    }

    private void writeHead() {
        if (unsentHead == null) return;
        session.write(unsentHead, false);
        unsentHead = null;
    }

    private void timedOut(long ms) {
        if (headSeen || done || released) return;
        fail(new HttpFailure(504, ProxyErrorType.HTTP_RESPONSE_TIMEOUT, "skill " + session.responder()
                + " sent no response within " + ms + " ms"));
        session.reset(ResetCode.TIMEOUT, "no response within " + ms + " ms");
    }

    @Override
    public void onWritabilityChanged(Session s, boolean writable) {
        if (writable && !demandPending) pumpRequest();
    }

    @Override
    public void onData(Session s, ByteBuf data, boolean fin) {
        try {
            if (data.isReadable()) responseBegun = true;
            if (!sequence) {
                decoder.decode(data.nioBuffer());
                if (fin) decoder.finish();
                passHeld(false);
                return;
            }
            if (fin && !responseBegun) { // ended unread (§13.3), and the request cannot go again: never processed
                fail(new HttpFailure(503, ProxyErrorType.DESTINATION_UNAVAILABLE, "skill " + s.responder()
                        + " ended its session before reading the request, which was not processed"));
                s.reset(ResetCode.CANCELLED, "ended before the request was read");
                return;
            }
            ByteBuffer in = data.nioBuffer();
            decoder.decodeMessage(in);
            if (in.hasRemaining()) throw new CodecException("bytes after the response (docs/acip-v0.md §13.2)");
            if (fin && !decoder.isComplete()) {
                throw new CodecException("the session ended before the response was complete");
            }
            passHeld(false);
        } catch (CodecException e) {
            dropHeld();
            s.reset(ResetCode.PROTOCOL_VIOLATION, "malformed Binary HTTP response: " + e.getMessage());
            if (released) return; // junk after a whole response: the session goes, the response stands
            fail(new HttpFailure(502, ProxyErrorType.HTTP_PROTOCOL_ERROR, "malformed response from skill "
                    + s.responder() + ": " + e.getMessage()));
        }
    }

    @Override
    public void onInformational(ResponseHead head) {
        if (head.status() != 101 && ++informational <= Bhttp.MAX_INFORMATIONAL) out.submit(cb -> {
            exchange.response().informational(head);
            cb.done(null);
        });
    }

    @Override
    public void onResponseHead(ResponseHead head) {
        headSeen = true;
        releaseReplay();
        if (firstByteTimer != null) firstByteTimer.cancel(false);
        lastActivity = System.nanoTime();
        long idle = config.streamIdleTimeout().toNanos();
        idleTimer = loop.schedule(this::checkIdle, idle, TimeUnit.NANOSECONDS);
        List<Field> extra = List.of(HeaderHygiene.via(exchange.request().protocol(), config.proxyName()),
                new Field(TRAJECTORY_HEADER, String.join(",", session.trajectory())));
        ResponseHead forwarded = new ResponseHead(head.status(), HeaderHygiene.forward(affinity.response(head.fields()),
                extra));
        heldHead = forwarded;
    }

    /** http.stream_idle_timeout: silence cuts a stream, content moving either way never does. */
    private void checkIdle() {
        if (done || released) return;
        long idle = config.streamIdleTimeout().toNanos();
        long silent = System.nanoTime() - lastActivity;
        if (silent < idle) {
            idleTimer = loop.schedule(this::checkIdle, idle - silent, TimeUnit.NANOSECONDS);
            return;
        }
        long ms = config.streamIdleTimeout().toMillis();
        fail(new HttpFailure(504, ProxyErrorType.HTTP_RESPONSE_TIMEOUT, "skill " + session.responder()
                + " sent nothing for " + ms + " ms (http.stream_idle_timeout)"));
        session.reset(ResetCode.TIMEOUT, "stream idle for " + ms + " ms");
    }

    @Override
    public void onContent(ByteBuffer content) {
        lastActivity = System.nanoTime();
        if (heldContent != null) passHeld(false);
        heldContent = ByteBuffer.allocate(content.remaining()).put(content).flip();
    }

    /** Hands what is held to the agent's side, as its end when {@code last}. */
    private void passHeld(boolean last) {
        ResponseHead head = heldHead;
        ByteBuffer content = heldContent != null ? heldContent : (last || head != null ? EMPTY : null);
        heldHead = null;
        heldContent = null;
        if (head != null) {
            out.submit(cb -> exchange.response().head(head, content, last, cb));
        } else if (content != null) {
            out.submit(cb -> exchange.response().content(content, last, cb));
        }
    }

    private void dropHeld() {
        heldHead = null;
        heldContent = null;
    }

    @Override
    public void onTrailers(Fields t) {
        trailers = t;
    }

    @Override
    public void onComplete() {
        if (sequence) handBack();
        Fields t = trailers;
        if (t.isEmpty()) {
            passHeld(true);
        } else {
            passHeld(false);
            out.submit(cb -> exchange.response().trailers(t, cb));
        }
        out.submit(cb -> {
            finish(null);
            cb.done(null);
        });
    }

    @Override
    public void onReset(Session s, ResetCode code, String detail) {
        if (session == null) session = s;
        if (loop == null) loop = s.eventLoop();
        fail(ResetAnswers.forReset(code, detail));
    }

    @Override
    public void onClose(Session s) {
        if (!decoder.isComplete()) {
            fail(new HttpFailure(502, ProxyErrorType.HTTP_RESPONSE_INCOMPLETE, "skill " + s.responder()
                    + " closed the session before the response was complete"));
        }
    }

    /**
     * The response is whole: the session goes back to its pool when the request went whole too, else it cannot carry
     * another exchange (§13.3) and ends here.
     */
    private void handBack() {
        if (idleTimer != null) idleTimer.cancel(false);
        released = true;
        if (requestSent) {
            session.setReadable(true); // the agent may still be slow to take this response: not the next one's concern
            carrier.exchangeDone(this);
        } else { // the response stands; the rest of the request goes nowhere (finish aborts it)
            carrier.abandon(this, "response complete before the request was sent whole");
        }
    }

    private void releaseReplay() {
        if (replay != null) {
            replay.release();
            replay = null;
        }
    }

    /** The agent's side failed (it went away): nothing to answer, drop the session. */
    private void agentGone(Throwable cause) {
        if (done) return;
        if (released) { // the session is another exchange's now
            finish(cause);
            return;
        }
        session.reset(ResetCode.CANCELLED, "agent went away: " + cause.getMessage());
        finish(cause);
    }

    private void fail(HttpFailure failure) {
        if (done) return;
        finish(null);
        exchange.response().fail(failure);
    }

    private void finish(Throwable cause) {
        done = true;
        dropHeld();
        releaseReplay();
        if (unsentHead != null) {
            unsentHead.release();
            unsentHead = null;
        }
        if (firstByteTimer != null) firstByteTimer.cancel(false);
        if (idleTimer != null) idleTimer.cancel(false);
        if (!requestSent) exchange.body().abort(cause != null ? cause : new IllegalStateException("exchange ended"));
    }
}
