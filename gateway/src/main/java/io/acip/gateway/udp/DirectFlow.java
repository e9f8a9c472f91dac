package io.acip.gateway.udp;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.gateway.GatewayMetrics;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.UdpFlow;
import io.acip.ingress.UdpFlowListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A CONNECT-UDP flow to a target that is not a skill: one connected UDP socket, so only the target's datagrams come
 * back and an ICMP port unreachable surfaces as {@link PortUnreachableException}, which ends the flow. The flow is
 * accepted only once the socket is connected; nothing is queued toward a busy socket (UDP may drop, so we do).
 *
 * <p>The socket lives on the loop that serves the flow where there is one ({@link UdpRelay#loopFor}): then both
 * directions run on that one thread, and the payloads of one loop turn leave with one flush each way.
 */
final class DirectFlow extends ChannelInboundHandlerAdapter implements UdpFlowListener {
    /** Largest UDP payload over IPv4 (65535 less the IP and UDP headers). */
    private static final int MAX_UDP_PAYLOAD = 65_507;

    private final UdpRelay relay;
    private final GatewayMetrics metrics;
    private final UdpFlow flow;
    private final InetSocketAddress target;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Runnable flush = this::flush;
    private volatile Channel channel;
    private boolean flushPending; // on the socket's loop only

    private DirectFlow(UdpRelay relay, UdpFlow flow, InetSocketAddress target) {
        this.relay = relay;
        this.metrics = relay.metrics();
        this.flow = flow;
        this.target = target;
    }

    static void open(UdpRelay relay, UdpFlow flow, InetAddress address) {
        DirectFlow d = new DirectFlow(relay, flow, new InetSocketAddress(address, flow.request().port()));
        long idleMs = relay.settings().idleTimeout().toMillis();
        EventLoop loop = relay.loopFor(flow);
        UdpRelay.datagramOptions(UdpRelay.bootstrap(loop))
                .option(ChannelOption.AUTO_READ, false) // until the flow is accepted
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS), d);
                    }
                })
                .connect(d.target)
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        relay.refuse(flow, new HttpFailure(502, ProxyErrorType.DESTINATION_IP_UNROUTABLE,
                                "cannot send to " + d.target + ": " + f.cause().getMessage()));
                        return;
                    }
                    d.channel = f.channel();
                    d.accept();
                });
    }

    private void accept() {
        metrics.inc("gateway.udp.flow.accepted");
        try {
            flow.accept(this);
        } catch (RuntimeException e) {
            end(e, "gateway.udp.flow.closed.accept_failed");
            return;
        }
        channel.config().setAutoRead(true);
    }

    // ---- agent to target: listener calls, on the listener's thread

    @Override
    public void onDatagram(ByteBuffer payload) {
        Channel ch = channel;
        if (ended.get()) return;
        if (payload.remaining() > MAX_UDP_PAYLOAD) {
            metrics.inc("gateway.udp.dropped.too_big");
        } else if (!ch.isWritable()) {
            metrics.inc("gateway.udp.dropped.socket_busy");
        } else {
            metrics.inc("gateway.udp.datagram.up");
            ByteBuf b = ch.alloc().directBuffer(payload.remaining()).writeBytes(payload);
            if (!ch.eventLoop().inEventLoop()) {
                ch.writeAndFlush(b, ch.voidPromise()); // a failed send reaches exceptionCaught
                return;
            }
            ch.write(b, ch.voidPromise());
            if (!flushPending) {
                flushPending = true;
                ch.eventLoop().execute(flush); // after this turn's reads: one sendmmsg for all of them on epoll
            }
        }
    }

    private void flush() {
        flushPending = false;
        Channel ch = channel;
        if (ch.isActive()) ch.flush();
    }

    @Override
    public void onClose(Throwable cause) {
        if (!ended.compareAndSet(false, true)) return;
        metrics.inc("gateway.udp.flow.closed.agent");
        channel.close();
    }

    // ---- target to agent: channel events, on the socket's event loop

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket p = (DatagramPacket) msg;
        try {
            if (ended.get()) return;
            metrics.inc("gateway.udp.datagram.down");
            if (!flow.send(p.content().nioBuffer())) metrics.inc("gateway.udp.dropped.agent");
        } finally {
            p.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) end(null, "gateway.udp.flow.closed.idle");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (UdpRelay.portUnreachable(cause)) {
            end(new PortUnreachableException(target + ": port unreachable (ICMP)"), "gateway.udp.flow.closed.unreachable");
        } else {
            end(cause, "gateway.udp.flow.closed.socket_error");
        }
    }

    /** Ends the flow from our side, once: the agent hears {@code cause} (null: a clean end). */
    private void end(Throwable cause, String counter) {
        if (!ended.compareAndSet(false, true)) return;
        metrics.inc(counter);
        flow.close(cause);
        Channel ch = channel;
        if (ch != null) ch.close();
    }
}
