package io.acip.gateway.udp;

import io.acip.gateway.GatewayMetrics;
import io.acip.gateway.bridge.Initiator;
import io.acip.gateway.bridge.ResetAnswers;
import io.acip.gateway.policy.Principal;
import io.acip.ingress.UdpFlow;
import io.acip.ingress.UdpFlowListener;
import io.acip.node.Node;
import io.acip.node.Session;
import io.acip.node.SessionHandler;
import io.acip.node.SessionRequest;
import io.acip.wire.ResetCode;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A CONNECT-UDP flow to a skill, carried as a datagram-mode ACIP session (DESIGN §4): each UDP payload is one DGRAM
 * ({@code PAYLOAD_PROTOCOL udp}), both ways. The session is set up before the request is answered, so a skill that
 * cannot be reached is refused with the same status and Proxy-Status as an HTTP exchange would get. A payload over
 * the DGRAM limit is dropped and counted, never fragmented. Datagram-mode sessions have no FIN (docs/acip-v0.md
 * §6.3): the agent closing its flow resets the session with {@code cancelled}, and a reset ends the flow.
 */
public final class SkillFlow implements SessionHandler, UdpFlowListener {
    private final UdpFlow flow;
    private final int maxPayload;
    private final GatewayMetrics metrics;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Set on the node's loop in onOpen, before the flow is accepted; read by the listener's thread after. */
    private volatile Session session;

    private SkillFlow(UdpFlow flow, int maxPayload, GatewayMetrics metrics) {
        this.flow = flow;
        this.maxPayload = maxPayload;
        this.metrics = metrics;
    }

    /** Opens the flow's session as {@code principal} (attested when authenticated, docs/acip-v0.md §7.6). */
    public static void start(Node node, UdpFlow flow, SkillName skill, List<Tlv> metadata, int maxPayload,
                             GatewayMetrics metrics, Principal principal) {
        metrics.inc("gateway.udp.flow.skill");
        List<Tlv> tlvs = new ArrayList<>(metadata);
        tlvs.add(Tlv.ofString(TlvType.PAYLOAD_PROTOCOL, "udp"));
        SessionRequest request;
        try {
            request = Initiator.request(skill, principal, "udp", flow.request().remote(), true, tlvs);
        } catch (Initiator.Uncarried refused) {
            metrics.inc("gateway.udp.flow.refused.http_request_denied");
            flow.refuse(refused.failure());
            return;
        }
        node.open(request, new SkillFlow(flow, maxPayload, metrics));
    }

    // ---- session events, on the node's loop

    @Override
    public void onOpen(Session s) {
        session = s;
        metrics.inc("gateway.udp.flow.accepted");
        try {
            flow.accept(this);
        } catch (RuntimeException e) {
            if (ended.compareAndSet(false, true)) {
                metrics.inc("gateway.udp.flow.closed.accept_failed");
                s.reset(ResetCode.CANCELLED, "the agent's flow could not be accepted: " + e.getMessage());
            }
        }
    }

    @Override
    public void onDatagram(Session s, ByteBuf payload) {
        if (ended.get()) return;
        metrics.inc("gateway.udp.datagram.down");
        if (!flow.send(payload.nioBuffer())) metrics.inc("gateway.udp.dropped.agent");
    }

    @Override
    public void onReset(Session s, ResetCode code, String detail) {
        if (session == null) {
            var failure = ResetAnswers.forReset(code, detail);
            metrics.inc("gateway.udp.flow.refused." + failure.error().token());
            flow.refuse(failure);
            return;
        }
        if (!ended.compareAndSet(false, true)) return;
        metrics.inc("gateway.udp.flow.closed." + code.token());
        // The far end being done (cancelled) is a clean end; anything else aborts the agent's flow.
        flow.close(switch (code) {
            case CANCELLED -> null;
            case TIMEOUT -> new TimeoutException(detail);
            default -> new IOException(code.token() + ": " + detail);
        });
    }

    @Override
    public void onClose(Session s) {
        // Datagram-mode sessions end by RESET; a CLOSE is a clean end all the same.
        if (ended.compareAndSet(false, true)) {
            metrics.inc("gateway.udp.flow.closed.cancelled");
            flow.close(null);
        }
    }

    // ---- agent events, on the listener's thread

    @Override
    public void onDatagram(ByteBuffer payload) {
        if (ended.get()) return;
        if (payload.remaining() > maxPayload) {
            metrics.inc("gateway.udp.dropped.too_big");
            return;
        }
        metrics.inc("gateway.udp.datagram.up");
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer(payload.remaining()).writeBytes(payload);
        session.writeDatagram(b); // takes ownership; dropped (and released) if the session ended meanwhile
    }

    @Override
    public void onClose(Throwable cause) {
        if (!ended.compareAndSet(false, true)) return;
        metrics.inc("gateway.udp.flow.closed.agent");
        session.reset(ResetCode.CANCELLED, cause == null ? "the agent closed the flow"
                : "the agent's flow failed: " + cause.getMessage());
    }
}
