package io.acip.gateway.udp;

import io.acip.gateway.GatewayMetrics;
import io.acip.gateway.attach.UdpEndpoint;
import io.acip.node.Session;
import io.acip.node.SessionHandler;
import io.acip.wire.ResetCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The far side of a {@code udp} session: one connected UDP socket to the agent's registered endpoint, on the node's
 * event loop (like the far side of a byte stream), so datagrams cross between socket and session without a thread
 * hop. The endpoint's name is looked up when the session opens; the few datagrams that arrive meanwhile wait. A socket
 * with no datagram either way for the idle timeout resets the session with {@code timeout}; an ICMP port unreachable
 * from the endpoint resets it with {@code destination_unavailable}.
 */
final class FarDatagrams extends ChannelInboundHandlerAdapter implements SessionHandler {
    /** Datagrams held while the endpoint's socket is being connected; later ones are dropped. */
    private static final int HOLD = 16;

    private final UdpRelay relay;
    private final GatewayMetrics metrics;
    private final String agent;
    private final UdpEndpoint endpoint;
    private final int maxPayload;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    // Touched on the node's loop only: session events and the socket's events both run there.
    private Session session;
    private Channel channel;
    private boolean done;

    FarDatagrams(UdpRelay relay, String agent, UdpEndpoint endpoint) {
        this.relay = relay;
        this.metrics = relay.metrics();
        this.agent = agent;
        this.endpoint = endpoint;
        this.maxPayload = relay.settings().maxDgramPayload();
    }

    @Override
    public void onOpen(Session s) {
        session = s;
        metrics.inc("gateway.udp.far.session.opened");
        relay.resolver().resolve(endpoint.host()).whenComplete((r, error) -> s.eventLoop().execute(() -> {
            if (done) return;
            if (r instanceof Resolution.Addresses a) {
                connect(new InetSocketAddress(a.addresses().get(0), endpoint.port()));
            } else {
                String why = r instanceof Resolution.Failed f ? f.refusal().detail() : String.valueOf(error);
                fail(ResetCode.DESTINATION_UNAVAILABLE, "agent " + agent + "'s UDP endpoint " + endpoint + ": " + why,
                        "gateway.udp.far.closed.endpoint_unresolved");
            }
        }));
    }

    private void connect(InetSocketAddress address) {
        long idleMs = relay.settings().idleTimeout().toMillis();
        UdpRelay.datagramOptions(UdpRelay.bootstrap(session.eventLoop()))
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS),
                                FarDatagrams.this);
                    }
                })
                .connect(address)
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        fail(ResetCode.DESTINATION_UNAVAILABLE, "cannot send to agent " + agent + "'s UDP endpoint "
                                + address + ": " + f.cause().getMessage(), "gateway.udp.far.closed.connect_failed");
                        return;
                    }
                    if (done) {
                        f.channel().close();
                        return;
                    }
                    channel = f.channel();
                    while (!held.isEmpty()) send(held.poll());
                });
    }

    // ---- session to endpoint

    @Override
    public void onDatagram(Session s, ByteBuf payload) {
        if (done) return;
        if (channel == null) {
            if (held.size() < HOLD) {
                held.add(payload.retain());
            } else {
                metrics.inc("gateway.udp.far.dropped.not_connected");
            }
            return;
        }
        send(payload.retain());
    }

    private void send(ByteBuf payload) {
        if (!channel.isWritable()) {
            payload.release();
            metrics.inc("gateway.udp.far.dropped.socket_busy");
            return;
        }
        metrics.inc("gateway.udp.far.datagram.to_agent");
        channel.writeAndFlush(payload, channel.voidPromise()); // a failed send reaches exceptionCaught
    }

    @Override
    public void onReset(Session s, ResetCode code, String detail) {
        end();
    }

    @Override
    public void onClose(Session s) {
        end();
    }

    // ---- endpoint to session

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket p = (DatagramPacket) msg;
        if (done || p.content().readableBytes() > maxPayload) {
            if (!done) metrics.inc("gateway.udp.far.dropped.too_big");
            p.release();
            return;
        }
        metrics.inc("gateway.udp.far.datagram.from_agent");
        session.writeDatagram(p.content()); // ownership passes with the content
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            fail(ResetCode.TIMEOUT, "no datagram to or from agent " + agent + "'s UDP endpoint for "
                    + relay.settings().idleTimeout().toMillis() + " ms", "gateway.udp.far.closed.idle_timeout");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (UdpRelay.portUnreachable(cause)) {
            fail(ResetCode.DESTINATION_UNAVAILABLE, "agent " + agent + "'s UDP endpoint " + endpoint
                    + " is unreachable (ICMP port unreachable)", "gateway.udp.far.closed.unreachable");
        } else {
            fail(ResetCode.DESTINATION_UNAVAILABLE, "agent " + agent + "'s UDP endpoint " + endpoint + ": "
                    + cause.getMessage(), "gateway.udp.far.closed.socket_error");
        }
    }

    /** Ends the session from this side with {@code code} (the initiator hears it) and the socket with it. */
    private void fail(ResetCode code, String detail, String counter) {
        if (done) return;
        metrics.inc(counter);
        session.reset(code, detail); // comes back as onReset, which ends the rest
        end();
    }

    private void end() {
        if (done) return;
        done = true;
        held.forEach(ByteBuf::release);
        held.clear();
        if (channel != null) channel.close();
    }
}
