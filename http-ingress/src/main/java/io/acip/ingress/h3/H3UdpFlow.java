package io.acip.ingress.h3;

import static io.acip.ingress.h3.CounterNames.UDP_CAPSULES_MALFORMED;
import static io.acip.ingress.h3.CounterNames.UDP_CAPSULES_UNKNOWN;
import static io.acip.ingress.h3.CounterNames.UDP_DATAGRAMS_FROM_AGENT;
import static io.acip.ingress.h3.CounterNames.UDP_DATAGRAMS_TO_AGENT;
import static io.acip.ingress.h3.CounterNames.UDP_DROPPED_BEFORE_ACCEPT;
import static io.acip.ingress.h3.CounterNames.UDP_DROPPED_CONTEXT_ID;
import static io.acip.ingress.h3.CounterNames.UDP_DROPPED_OVERSIZE;
import static io.acip.ingress.h3.CounterNames.UDP_DROPPED_QUEUE_FULL;
import static io.acip.ingress.h3.CounterNames.UDP_FLOWS_ACCEPTED;
import static io.acip.ingress.h3.CounterNames.UDP_FLOWS_IDLE_CLOSED;
import static io.acip.ingress.h3.CounterNames.UDP_FLOWS_REFUSED;

import io.acip.capsule.Capsule;
import io.acip.capsule.CapsuleListener;
import io.acip.capsule.CapsuleParser;
import io.acip.capsule.CapsuleType;
import io.acip.capsule.CodecException;
import io.acip.capsule.DatagramPayload;
import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.masque.CapsuleProtocolHeader;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.UdpFlow;
import io.acip.ingress.UdpFlowListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CONNECT-UDP flow over HTTP/3 (RFC 9298 over RFC 9220): UDP payloads arrive as HTTP Datagrams in QUIC DATAGRAM
 * frames (routed here by the connection) or in DATAGRAM capsules on the stream, and leave the same way: QUIC
 * DATAGRAM when the agent sent SETTINGS_H3_DATAGRAM=1 and QUIC negotiated DATAGRAM frames, a capsule otherwise.
 * State changes happen on the stream's event loop, which is the QUIC connection's; {@link #send} may be called from
 * any thread and never blocks, and on that loop (a direct flow's socket lives there) it writes without a hand-off.
 */
final class H3UdpFlow implements UdpFlow, CapsuleListener {
    /** Datagrams held while the handler decides (UdpFlow: "a few, bounded"). */
    static final int HELD_LIMIT = 32;
    /** Sends handed to the event loop and not yet written, per flow. */
    static final int SEND_QUEUE_LIMIT = 256;
    /** RFC 768: the largest UDP payload over IPv4 (65535 - 8 - 20); what a capsule can carry to the agent. */
    static final int MAX_UDP_PAYLOAD = 65_507;
    private static final int MAX_CAPSULE = MAX_UDP_PAYLOAD + 16;

    private enum State { PENDING, OPEN, CLOSED }

    private final StreamWriter writer;
    private final H3Connection connection;
    private final ListenerContext context;
    private final ConnectRequest request;
    private final long quarterStreamId;
    private final EventLoop loop;
    private final Runnable inFlight;
    private final CapsuleParser capsules = new CapsuleParser(MAX_CAPSULE, this);
    private final AtomicBoolean answered = new AtomicBoolean();
    private final AtomicInteger queued = new AtomicInteger();
    private final ArrayDeque<ByteBuffer> held = new ArrayDeque<>();
    private volatile State state = State.PENDING;
    private UdpFlowListener listener;
    private boolean agentFinished;
    private long lastActivity;
    private ScheduledFuture<?> idleCheck;

    H3UdpFlow(StreamWriter writer, H3Connection connection, ListenerContext context, ConnectRequest request,
              Runnable inFlight) {
        this.writer = writer;
        this.connection = connection;
        this.context = context;
        this.request = request;
        this.quarterStreamId = writer.stream().streamId() / 4;
        this.loop = writer.stream().eventLoop();
        this.inFlight = inFlight;
    }

    @Override
    public ConnectRequest request() {
        return request;
    }

    @Override
    public String httpVersion() {
        return "HTTP/3";
    }

    @Override
    public void accept(UdpFlowListener flowListener) {
        if (!answered.compareAndSet(false, true)) throw new IllegalStateException("the flow was already answered");
        onLoop(() -> {
            if (state != State.PENDING) {
                flowListener.onClose(new ClosedChannelException());
                return;
            }
            listener = flowListener;
            state = State.OPEN;
            context.counters().increment(UDP_FLOWS_ACCEPTED);
            writer.write(StreamWriter.headers(200, Fields.of("capsule-protocol", CapsuleProtocolHeader.TRUE),
                    null), false, f -> { });
            touch();
            scheduleIdleCheck(context.udpIdleTimeout().toNanos());
            while (!held.isEmpty() && state == State.OPEN) deliver(held.poll());
            if (agentFinished && state == State.OPEN) endByAgent(null);
        });
    }

    @Override
    public void refuse(HttpFailure failure) {
        if (!answered.compareAndSet(false, true)) throw new IllegalStateException("the flow was already answered");
        onLoop(() -> {
            if (state != State.PENDING) return;
            state = State.CLOSED;
            context.counters().increment(UDP_FLOWS_REFUSED);
            dropHeld();
            ProblemAnswer.write(writer, context.proxyName(), failure, f -> {
                writer.stopReading(Http3ErrorCode.H3_NO_ERROR); // nothing more of the request is wanted
                finished();
            });
        });
    }

    @Override
    public boolean send(ByteBuffer payload) {
        if (state != State.OPEN) return false;
        int n = payload.remaining();
        boolean quicDatagram = connection.datagramsNegotiated();
        if (n > maxPayload(quicDatagram)) {
            context.counters().increment(UDP_DROPPED_OVERSIZE);
            return false;
        }
        if (loop.inEventLoop()) {
            write(encode(payload, quicDatagram), quicDatagram);
            return true;
        }
        if (queued.incrementAndGet() > SEND_QUEUE_LIMIT) {
            queued.decrementAndGet();
            context.counters().increment(UDP_DROPPED_QUEUE_FULL);
            return false;
        }
        ByteBuf out = encode(payload, quicDatagram);
        loop.execute(() -> {
            queued.decrementAndGet();
            write(out, quicDatagram);
        });
        return true;
    }

    @Override
    public Optional<EventLoop> eventLoop() {
        return Optional.of(loop);
    }

    private ByteBuf encode(ByteBuffer payload, boolean quicDatagram) {
        if (quicDatagram) return HttpDatagram.encodeUdp(connection.quic().alloc(), quarterStreamId, payload);
        ByteBuffer capsule = ByteBuffer.allocate(Capsule.datagramLength(DatagramPayload.UDP_PAYLOAD_CONTEXT,
                payload.remaining()));
        Capsule.writeDatagram(capsule, DatagramPayload.UDP_PAYLOAD_CONTEXT, payload);
        return Unpooled.wrappedBuffer(capsule.flip());
    }

    /** On the loop: one payload toward the agent, unless the flow ended meanwhile. */
    private void write(ByteBuf out, boolean quicDatagram) {
        if (state != State.OPEN) {
            out.release();
            return;
        }
        if (quicDatagram) {
            connection.writeDatagram(out);
        } else if (!writer.stream().isWritable() && writer.stream().bytesBeforeWritable() > MAX_CAPSULE) {
            out.release(); // the agent reads its stream too slowly: a datagram is better lost than queued
            context.counters().increment(UDP_DROPPED_QUEUE_FULL);
            return;
        } else {
            writer.write(new DefaultHttp3DataFrame(out), false, f -> { });
        }
        context.counters().increment(UDP_DATAGRAMS_TO_AGENT);
        touch();
    }

    @Override
    public void close(Throwable cause) {
        onLoop(() -> {
            if (state == State.CLOSED) return;
            state = State.CLOSED;
            dropHeld();
            if (cause == null) {
                writer.fin(f -> finished());
                writer.stopReading(Http3ErrorCode.H3_NO_ERROR);
            } else {
                writer.reset(Http3ErrorCode.H3_INTERNAL_ERROR);
                finished();
            }
        });
    }

    @Override
    public int maxPayload() {
        return maxPayload(connection.datagramsNegotiated());
    }

    private int maxPayload(boolean quicDatagram) {
        if (!quicDatagram) return MAX_UDP_PAYLOAD;
        return Math.max(0, Math.min(MAX_UDP_PAYLOAD,
                connection.maxDatagramLength() - HttpDatagram.overhead(quarterStreamId)));
    }

    // ---- from the agent (event loop) ----

    /** DATA frame content of the request stream: a capsule stream (RFC 9297 §3). */
    void onStreamData(ByteBuf content) {
        try {
            if (state != State.CLOSED) capsules.feed(content.nioBuffer());
        } catch (CodecException e) {
            malformed(e);
        } finally {
            content.release();
        }
    }

    /** An HTTP Datagram payload (context ID, then data) from a QUIC DATAGRAM or a DATAGRAM capsule. */
    void onHttpDatagram(ByteBuffer httpDatagramPayload) {
        DatagramPayload p;
        try {
            p = DatagramPayload.parse(httpDatagramPayload);
        } catch (CodecException e) {
            context.counters().increment(UDP_DROPPED_CONTEXT_ID); // no context ID at all
            return;
        }
        if (!p.isUdpPayload()) {
            context.counters().increment(UDP_DROPPED_CONTEXT_ID); // RFC 9298 §4: no extension was negotiated
            return;
        }
        switch (state) {
            case OPEN -> deliver(p.data());
            case PENDING -> {
                if (held.size() < HELD_LIMIT) {
                    ByteBuffer copy = ByteBuffer.allocate(p.data().remaining()).put(p.data().duplicate());
                    held.add(copy.flip());
                } else {
                    context.counters().increment(UDP_DROPPED_BEFORE_ACCEPT);
                }
            }
            default -> { }
        }
    }

    @Override
    public void onCapsule(long type, ByteBuffer value) {
        onHttpDatagram(value);
    }

    @Override
    public boolean wants(long type) {
        return type == CapsuleType.DATAGRAM;
    }

    @Override
    public void onSkipped(long type, long length) {
        context.counters().increment(UDP_CAPSULES_UNKNOWN); // RFC 9297 §3.2: unknown capsules are skipped
    }

    /** FIN from the agent: the flow ends cleanly unless a capsule was cut short (RFC 9297 §3.3). */
    void onAgentFin() {
        try {
            capsules.finish();
        } catch (CodecException e) {
            malformed(e);
            return;
        }
        if (state == State.PENDING) {
            agentFinished = true;
        } else if (state == State.OPEN) {
            endByAgent(null);
        }
    }

    /** The stream or connection went away. */
    void onStreamGone(Throwable cause) {
        if (state == State.OPEN) {
            state = State.CLOSED;
            tell(cause != null ? cause : new ClosedChannelException());
        }
        state = State.CLOSED;
        dropHeld();
        finished();
    }

    private void deliver(ByteBuffer data) {
        touch();
        context.counters().increment(UDP_DATAGRAMS_FROM_AGENT);
        try {
            listener.onDatagram(data);
        } catch (RuntimeException e) {
            context.counters().increment(CounterNames.H3_HANDLER_FAILED);
        }
    }

    private void malformed(CodecException e) {
        context.counters().increment(UDP_CAPSULES_MALFORMED);
        boolean wasOpen = state == State.OPEN;
        state = State.CLOSED;
        dropHeld();
        // RFC 9297 §3.3: a malformed capsule makes the stream malformed (RFC 9114 §4.1.2: H3_MESSAGE_ERROR).
        writer.reset(Http3ErrorCode.H3_MESSAGE_ERROR);
        if (wasOpen) tell(e);
        finished();
    }

    private void endByAgent(Throwable cause) {
        state = State.CLOSED;
        tell(cause);
        // Not from inside the read that delivered the agent's FIN: Netty closes a stream once both FINs are
        // through, and a FIN written during that read was seen lost to the agent now and then.
        loop.execute(() -> writer.fin(f -> finished()));
    }

    private void tell(Throwable cause) {
        if (idleCheck != null) idleCheck.cancel(false);
        try {
            listener.onClose(cause);
        } catch (RuntimeException e) {
            context.counters().increment(CounterNames.H3_HANDLER_FAILED);
        }
    }

    private void touch() {
        lastActivity = System.nanoTime();
    }

    /** RFC 9298 §5 leaves idle flows to the proxy: no datagram either way for the idle timeout ends the flow. */
    private void scheduleIdleCheck(long delayNanos) {
        idleCheck = loop.schedule(() -> {
            if (state != State.OPEN) return;
            long timeout = context.udpIdleTimeout().toNanos();
            long idle = System.nanoTime() - lastActivity;
            if (idle < timeout) {
                scheduleIdleCheck(timeout - idle);
                return;
            }
            context.counters().increment(UDP_FLOWS_IDLE_CLOSED);
            state = State.CLOSED;
            tell(new TimeoutException("no datagram either way for " + context.udpIdleTimeout()));
            writer.fin(f -> finished());
            writer.stopReading(Http3ErrorCode.H3_NO_ERROR);
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void dropHeld() {
        if (!held.isEmpty()) context.counters().add(UDP_DROPPED_BEFORE_ACCEPT, held.size());
        held.clear();
    }

    private void finished() {
        if (idleCheck != null) idleCheck.cancel(false);
        connection.flowEnded(quarterStreamId);
        inFlight.run();
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }
}
