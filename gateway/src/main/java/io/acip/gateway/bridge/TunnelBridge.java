package io.acip.gateway.bridge;

import io.acip.gateway.policy.Principal;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.Tunnel;
import io.acip.ingress.TunnelDecision;
import io.acip.node.Node;
import io.acip.node.Session;
import io.acip.node.SessionHandler;
import io.acip.node.SessionRequest;
import io.acip.wire.ResetCode;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * A CONNECT tunnel to a skill carried as an ACIP byte-stream session (DESIGN §4): the agent's bytes go out as DATA,
 * the far side's come back, half-closes map onto FIN both ways. Read from the agent only while the session takes
 * more; read from the session only while the agent keeps up. The session is set up before the CONNECT is answered
 * (RFC 9110 §9.3.6): the agent hears 200 only for a tunnel that exists, else the status its RESET calls for.
 */
public final class TunnelBridge implements SessionHandler {
    private final CompletableFuture<TunnelDecision> decision = new CompletableFuture<>();
    private Tunnel tunnel;
    private Session session;
    private EventLoop loop;
    private SinkWriter down;
    private boolean upDone;
    private boolean demandPending;
    private boolean done;
    /** What the skill sent before the agent's side was attached (a server that speaks first). */
    private final List<ByteBuf> early = new ArrayList<>();
    private boolean earlyFin;

    private final BiFunction<ResetCode, String, TunnelDecision> refused;

    private TunnelBridge(BiFunction<ResetCode, String, TunnelDecision> refused) {
        this.refused = refused;
    }

    /**
     * Opens a byte-stream session to {@code skill} for a CONNECT, as {@code principal} (attested when authenticated,
     * docs/acip-v0.md §7.6); the decision completes with {@code Carry} (this bridge, for {@link #attach}) once the
     * session is set up, or with the refusal its RESET calls for.
     *
     * @param refused what to make of a refusal (ResetAnswers' answer by default), e.g. interception instead
     */
    public static CompletionStage<TunnelDecision> open(Node node, ConnectRequest request, SkillName skill,
                                                       List<Tlv> metadata, Principal principal,
                                                       BiFunction<ResetCode, String, TunnelDecision> refused) {
        List<Tlv> tlvs = new ArrayList<>(metadata);
        tlvs.add(Tlv.ofString(TlvType.PAYLOAD_PROTOCOL, "bytes"));
        SessionRequest session;
        try {
            session = Initiator.request(skill, principal, "tcp", request.remote(), false, tlvs);
        } catch (Initiator.Uncarried e) {
            return CompletableFuture.completedFuture(new TunnelDecision.Refuse(e.failure()));
        }
        TunnelBridge bridge = new TunnelBridge(refused);
        node.open(session, bridge);
        return bridge.decision;
    }

    /** The answer to a CONNECT whose session was refused: the status RFC 9209 names for the RESET. */
    public static TunnelDecision refusal(ResetCode code, String detail) {
        return new TunnelDecision.Refuse(ResetAnswers.forReset(code, detail));
    }

    /** The agent accepted the tunnel the decision carried (or left before it opened: the tunnel then fails). */
    public static void attach(Tunnel tunnel) {
        TunnelBridge b = (TunnelBridge) tunnel.attachment();
        b.loop.execute(() -> b.attached(tunnel));
    }

    private void attached(Tunnel t) {
        tunnel = t;
        if (done) {
            t.abort(new IllegalStateException("the session ended before the tunnel opened"));
            return;
        }
        for (int i = 0; i < early.size(); i++) {
            ByteBuf b = early.get(i);
            deliver(b, earlyFin && i == early.size() - 1);
            b.release();
        }
        if (early.isEmpty() && earlyFin) deliver(Unpooled.EMPTY_BUFFER, true);
        early.clear();
        session.setReadable(true);
        pump();
    }

    @Override
    public void onOpen(Session s) {
        session = s;
        loop = s.eventLoop();
        s.setReadable(false); // nothing to deliver to until the agent's side is attached
        down = new SinkWriter(loop, busy -> s.setReadable(!busy), cause -> {
            done = true;
            s.reset(ResetCode.CANCELLED, "agent went away");
        });
        decision.complete(new TunnelDecision.Carry(this));
    }

    private void pump() {
        if (tunnel == null) return; // attach() pumps
        demandPending = false;
        while (!upDone && !done && session.isWritableByApplication()) {
            BodyChunk c = tunnel.upstream().read();
            if (c == null) {
                demandPending = true;
                tunnel.upstream().demand(() -> loop.execute(this::pump));
                return;
            }
            if (c.failure() != null) {
                c.release();
                done = true;
                session.reset(ResetCode.CANCELLED, "agent's side of the tunnel failed: " + c.failure().getMessage());
                return;
            }
            ByteBuf data = Unpooled.copiedBuffer(c.data());
            c.release();
            session.write(data, c.last());
            upDone = c.last();
        }
    }

    @Override
    public void onWritabilityChanged(Session s, boolean writable) {
        if (writable && !demandPending) pump();
    }

    @Override
    public void onData(Session s, ByteBuf data, boolean fin) {
        if (tunnel == null) {
            early.add(Unpooled.copiedBuffer(data));
            earlyFin |= fin;
            return;
        }
        deliver(data, fin);
    }

    private void deliver(ByteBuf data, boolean fin) {
        ByteBuffer copy = ByteBuffer.allocate(data.readableBytes());
        data.readBytes(copy);
        copy.flip();
        down.submit(cb -> tunnel.downstream(copy, fin, cb));
    }

    @Override
    public void onReset(Session s, ResetCode code, String detail) {
        done = true;
        early.forEach(ByteBuf::release);
        early.clear();
        if (!decision.isDone()) {
            decision.complete(refused.apply(code, detail));
        } else if (tunnel != null) {
            tunnel.abort(new IllegalStateException(code.token() + ": " + detail));
        }
    }

    @Override
    public void onClose(Session s) {
        done = true;
    }
}
