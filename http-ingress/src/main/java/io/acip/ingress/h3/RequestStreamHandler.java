package io.acip.ingress.h3;

import io.acip.capsule.masque.CapsuleProtocolHeader;
import io.acip.capsule.masque.ConnectUdpMatch;
import io.acip.capsule.masque.ConnectUdpRejection;
import io.acip.capsule.masque.ConnectUdpTarget;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.Exchange;
import io.acip.ingress.ExchangeEnd;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.ResponseSink;
import io.acip.ingress.BodySource;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.http3.Http3Exception;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3HeadersValidationException;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request stream: reads the request head, then serves the stream as an {@link Exchange} (ordinary requests) or
 * a {@link H3UdpFlow} (CONNECT-UDP), or answers it here when the request cannot be served. Auto-read is off: the
 * head is read at once, an exchange's body only on demand, a flow's capsules as they come.
 */
final class RequestStreamHandler extends Http3RequestStreamInboundHandler {
    private static final String CONNECT_UDP = "connect-udp";

    private enum State { HEAD, EXCHANGE, FLOW, ANSWERED }

    private final ListenerContext context;
    private State state = State.HEAD;
    private QuicStreamChannel stream;
    private H3Connection connection;
    private StreamWriter writer;
    private StreamBodySource body;
    private StreamResponseSink sink;
    private H3UdpFlow flow;
    private boolean flowEnded;
    private final ArrayDeque<ByteBuffer> earlyDatagrams = new ArrayDeque<>();
    private ScheduledFuture<?> headTimer;

    RequestStreamHandler(ListenerContext context) {
        this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        stream = (QuicStreamChannel) ctx.channel();
        stream.config().setAutoRead(false);
        writer = new StreamWriter(stream);
        connection = H3Connection.of(stream.parent());
        if (connection != null) connection.streamOpened(quarterStreamId(), this);
        headTimer = stream.eventLoop().schedule(this::headTimedOut, context.config().requestHeadTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
        // Not inline: this runs inside the stream initializer, which would take a decoding error for its own.
        if (stream.isActive()) stream.eventLoop().execute(ctx::read);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.read();
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
        switch (state) {
            case HEAD -> {
                cancelHeadTimer();
                onHead(ctx, frame);
            }
            case EXCHANGE -> {
                try {
                    body.onTrailers(RequestHead.of(frame.headers()).fields());
                } catch (IllegalArgumentException e) {
                    body.onFailure(e);
                }
            }
            default -> { } // trailers on a CONNECT stream or after an answer: nothing to do with them
        }
    }

    @Override
    protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
        switch (state) {
            case EXCHANGE -> body.onData(frame.content());
            case FLOW -> flow.onStreamData(frame.content());
            default -> frame.release();
        }
    }

    @Override
    protected void channelInputClosed(ChannelHandlerContext ctx) {
        switch (state) {
            case EXCHANGE -> body.onEnd();
            case FLOW -> flow.onAgentFin();
            default -> { }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // A flow reads its capsules as they come; an exchange reads its body on demand only, until the demand is met.
        if (state == State.FLOW && !flowEnded) {
            ctx.read();
        } else if (state == State.EXCHANGE) {
            body.onReadComplete();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writer.onWritabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelHeadTimer();
        if (connection != null) connection.streamClosed(quarterStreamId());
        ClosedChannelException gone = new ClosedChannelException();
        writer.releasePending();
        switch (state) {
            case EXCHANGE -> {
                body.onFailure(gone);
                sink.onStreamGone(gone);
            }
            case FLOW -> flow.onStreamGone(null);
            default -> { }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http3HeadersValidationException) {
            // Netty resets the stream with H3_MESSAGE_ERROR (RFC 9114 §4.1.2): only count it.
            context.counters().increment(CounterNames.H3_REQUESTS_MALFORMED);
            return;
        }
        if (cause instanceof Http3Exception h3 && h3.errorCode() == Http3ErrorCode.H3_EXCESSIVE_LOAD) {
            context.counters().increment(CounterNames.H3_EXCESSIVE_LOAD); // Netty closes the connection
        }
        switch (state) {
            case EXCHANGE -> body.onFailure(cause);
            case FLOW -> flow.onStreamGone(cause);
            default -> { }
        }
        ctx.close();
    }

    /** An HTTP/3 Datagram payload for this stream, routed by the connection. */
    void onQuicDatagram(ByteBuffer payload) {
        switch (state) {
            case FLOW -> {
                if (!flowEnded) flow.onHttpDatagram(payload);
            }
            case HEAD -> {
                // The datagram overtook the request's HEADERS: hold it until the head says what this stream is.
                if (earlyDatagrams.size() < H3UdpFlow.HELD_LIMIT) {
                    earlyDatagrams.add(ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip());
                } else {
                    context.counters().increment(CounterNames.UDP_DROPPED_BEFORE_ACCEPT);
                }
            }
            default -> context.counters().increment(CounterNames.H3_DATAGRAMS_UNKNOWN_STREAM);
        }
    }

    void flowEnded() {
        flowEnded = true;
    }

    /**
     * No HEADERS frame within the head deadline: the stream is reset and its reading stopped with
     * H3_REQUEST_INCOMPLETE (RFC 9114 §8.1), as for a stream that ended without a whole request.
     */
    private void headTimedOut() {
        headTimer = null;
        if (state != State.HEAD || !stream.isActive()) return;
        context.counters().increment(CounterNames.H3_REQUEST_HEAD_TIMEOUTS);
        state = State.ANSWERED;
        dropEarlyDatagrams();
        writer.reset(Http3ErrorCode.H3_REQUEST_INCOMPLETE);
    }

    private void cancelHeadTimer() {
        if (headTimer != null) {
            headTimer.cancel(false);
            headTimer = null;
        }
    }

    private long quarterStreamId() {
        return stream.streamId() / 4;
    }

    private void onHead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
        RequestHead head;
        try {
            head = RequestHead.of(frame.headers());
        } catch (IllegalArgumentException e) {
            reject(400, "malformed request head: " + e.getMessage());
            return;
        }
        if (head.protocol() != null && !head.isConnect()) {
            // RFC 9220 §3 and RFC 8441 §4 define :protocol for CONNECT only; anything else is malformed
            // (RFC 9114 §4.1.2), and a server MAY answer a malformed request before closing the stream.
            reject(400, "the :protocol pseudo-header is only allowed on CONNECT (RFC 9220 §3)");
        } else if (head.isConnect() && head.protocol() == null) {
            reject(501, "CONNECT is not served over HTTP/3 here; use the gateway's HTTP/1.1 or HTTP/2 listener "
                    + "for TCP tunnels");
        } else if (head.isConnect()) {
            if (!CONNECT_UDP.equalsIgnoreCase(head.protocol())) {
                reject(501, "extended CONNECT protocol \"" + head.protocol() + "\" is not supported; only "
                        + CONNECT_UDP);
            } else {
                connectUdp(ctx, head);
            }
        } else {
            exchange(head);
        }
    }

    private void exchange(RequestHead head) {
        context.counters().increment(CounterNames.H3_EXCHANGES);
        QuicChannel quic = stream.parent();
        RequestInfo info = new RequestInfo(head.method(), head.scheme(), head.authority(), head.path(),
                head.fields(), "HTTP/3", RequestInfo.Form.ORIGIN, true, inet(quic.remoteSocketAddress()),
                inet(quic.localSocketAddress()), clientCertificates(quic), null);
        Runnable inFlight = context.inFlight().begin();
        body = new StreamBodySource(stream);
        ExchangeEnd end = new ExchangeEnd();
        sink = new StreamResponseSink(writer, context.proxyName(),
                context.config().addVia() ? "3 " + context.proxyName() : null, context.counters(),
                failure -> {
                    exchangeEnded(failure, inFlight);
                    end.fire();
                });
        state = State.EXCHANGE;
        dropEarlyDatagrams();
        try {
            context.handler().onExchange(new H3Exchange(info, body, sink, end));
        } catch (RuntimeException e) {
            context.counters().increment(CounterNames.H3_HANDLER_FAILED);
            sink.fail(new HttpFailure(500, ProxyErrorType.PROXY_INTERNAL_ERROR,
                    "the gateway failed on this request"));
        }
    }

    /** The response is complete (or the exchange broke): the rest of the request is not read. */
    private void exchangeEnded(Throwable failure, Runnable inFlight) {
        if (failure == null && !body.done()) writer.stopReading(Http3ErrorCode.H3_NO_ERROR); // RFC 9114 §4.1
        if (failure != null) body.onFailure(failure);
        if (!body.done()) body.discard();
        inFlight.run();
    }

    private void connectUdp(ChannelHandlerContext ctx, RequestHead head) {
        // One template is served, so any rejection (404 for another path included) is a malformed request here.
        ConnectUdpMatch match = context.config().connectUdpTemplate().match(head.path());
        if (match instanceof ConnectUdpRejection rejection) {
            reject(400, rejection.details());
            return;
        }
        if (!CapsuleProtocolHeader.isTrue(values(head, "capsule-protocol"))) {
            reject(400, "CONNECT-UDP over HTTP/3 needs Capsule-Protocol: ?1 (RFC 9298 §3.4)");
            return;
        }
        ConnectUdpTarget target = (ConnectUdpTarget) match;
        ConnectRequest request = new ConnectRequest(target.host(), target.port(), head.fields(), CONNECT_UDP,
                inet(stream.parent().remoteSocketAddress()), clientCertificates(stream.parent()), null);
        flow = new H3UdpFlow(writer, connection, context, request, context.inFlight().begin());
        state = State.FLOW;
        while (!earlyDatagrams.isEmpty()) flow.onHttpDatagram(earlyDatagrams.poll());
        ctx.read(); // capsules sent before the answer are read (and held) as they come
        try {
            context.handler().onConnectUdp(flow);
        } catch (RuntimeException e) {
            context.counters().increment(CounterNames.H3_HANDLER_FAILED);
            try {
                flow.refuse(new HttpFailure(500, ProxyErrorType.PROXY_INTERNAL_ERROR,
                        "the gateway failed on this CONNECT-UDP request"));
            } catch (IllegalStateException answered) {
                flow.close(e);
            }
        }
    }

    /** Answers here: the request never reaches the handler. */
    private void reject(int status, String detail) {
        context.counters().increment(CounterNames.H3_REQUESTS_REJECTED);
        state = State.ANSWERED;
        dropEarlyDatagrams();
        ProblemAnswer.write(writer, context.proxyName(), new HttpFailure(status, ProxyErrorType.HTTP_REQUEST_ERROR,
                detail), f -> writer.stopReading(Http3ErrorCode.H3_NO_ERROR));
    }

    private void dropEarlyDatagrams() {
        if (!earlyDatagrams.isEmpty()) {
            context.counters().add(CounterNames.H3_DATAGRAMS_UNKNOWN_STREAM, earlyDatagrams.size());
            earlyDatagrams.clear();
        }
    }

    private static List<String> values(RequestHead head, String name) {
        List<String> out = new ArrayList<>();
        head.fields().lines().forEach(f -> {
            if (f.name().equals(name)) out.add(f.value());
        });
        return out;
    }

    private static InetSocketAddress inet(java.net.SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : null;
    }

    /** The exchange as the stages above see it. */
    /** The agent's verified TLS client certificate chain on this QUIC connection, leaf first; empty when none. */
    static List<X509Certificate> clientCertificates(QuicChannel quic) {
        try {
            javax.net.ssl.SSLEngine engine = quic.sslEngine();
            if (engine == null) return List.of();
            java.security.cert.Certificate[] chain = engine.getSession().getPeerCertificates();
            List<X509Certificate> out = new java.util.ArrayList<>(chain.length);
            for (java.security.cert.Certificate c : chain) {
                if (c instanceof X509Certificate x) out.add(x);
            }
            return out;
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    private record H3Exchange(RequestInfo request, BodySource body, ResponseSink response, ExchangeEnd end)
            implements Exchange {
        @Override
        public void onEnd(Runnable action) {
            end.add(action);
        }
    }
}
