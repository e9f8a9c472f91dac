package io.acip.gateway.bridge;

import io.acip.gateway.policy.Principal;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.Tunnel;
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

/**
 * A CONNECT tunnel to a skill carried as an ACIP byte-stream session (DESIGN §4): the agent's bytes go out as DATA,
 * the far side's come back, half-closes map onto FIN both ways. Read from the agent only while the session takes
 * more; read from the session only while the agent keeps up.
 */
public final class TunnelBridge implements SessionHandler {
    private final Tunnel tunnel;
    private Session session;
    private EventLoop loop;
    private SinkWriter down;
    private boolean upDone;
    private boolean demandPending;
    private boolean done;

    private TunnelBridge(Tunnel tunnel) {
        this.tunnel = tunnel;
    }

    /** Opens the tunnel's session as {@code principal} (attested when authenticated, docs/acip-v0.md §7.6). */
    public static void start(Node node, Tunnel tunnel, SkillName skill, List<Tlv> metadata, Principal principal) {
        List<Tlv> tlvs = new ArrayList<>(metadata);
        tlvs.add(Tlv.ofString(TlvType.PAYLOAD_PROTOCOL, "bytes"));
        String unattested = "tcp://" + tunnel.request().remote().getAddress().getHostAddress();
        SessionRequest request;
        try {
            request = Initiator.request(skill, principal, unattested, false, tlvs);
        } catch (IllegalArgumentException refused) {
            tunnel.abort(refused); // the CONNECT's 200 is already out: all that is left is to end the tunnel
            return;
        }
        node.open(request, new TunnelBridge(tunnel));
    }

    @Override
    public void onOpen(Session s) {
        session = s;
        loop = s.eventLoop();
        down = new SinkWriter(loop, busy -> s.setReadable(!busy), cause -> {
            done = true;
            s.reset(ResetCode.CANCELLED, "agent went away");
        });
        pump();
    }

    private void pump() {
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
        ByteBuffer copy = ByteBuffer.allocate(data.readableBytes());
        data.readBytes(copy);
        copy.flip();
        down.submit(cb -> tunnel.downstream(copy, fin, cb));
    }

    @Override
    public void onReset(Session s, ResetCode code, String detail) {
        done = true;
        tunnel.abort(new IllegalStateException(code.token() + ": " + detail));
    }

    @Override
    public void onClose(Session s) {
        done = true;
    }
}
