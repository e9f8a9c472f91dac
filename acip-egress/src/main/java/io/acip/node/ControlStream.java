package io.acip.node;

import io.acip.control.ControlChannel;
import io.acip.control.NeighbourSession;
import io.acip.link.PacketFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The QUIC stream of a link's control channel (docs/acip-v0.md §12.1): the dialler opens it, the acceptor finds it
 * by its first packet (an OPEN under label 0) and takes one at a time. Carries framed packets between the stream and
 * the neighbour session. The stream lives on its link's event loop, the route exchange on the node's home loop: what
 * crosses between them is handed over, in order, to the other loop.
 */
final class ControlStream extends ChannelInboundHandlerAdapter implements ControlChannel {
    private static final long RETRY_MIN_MS = 1000;
    private static final long RETRY_MAX_MS = 60_000;
    private static final int LINGER_SECONDS = 5;
    /**
     * Bytes read from the stream and handed to the home loop but not taken there yet: past the high mark the stream
     * stops reading (QUIC flow control then holds the neighbour back), below the low mark it reads again, so a
     * neighbour cannot queue unbounded work on a busy home loop.
     */
    private static final int BACKLOG_HIGH = 256 * 1024;
    private static final int BACKLOG_LOW = 64 * 1024;

    private final Node node;
    private final Link link;
    private final long retryMs;
    private QuicStreamChannel stream;
    private ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
    private NeighbourSession session;
    private boolean finished;
    private final AtomicInteger backlog = new AtomicInteger();
    private final AtomicBoolean readPaused = new AtomicBoolean();

    private ControlStream(Node node, Link link, long retryMs) {
        this.node = node;
        this.link = link;
        this.retryMs = retryMs;
    }

    /** The dialler opens the channel on a new link. */
    static void open(Node node, Link link) {
        open(node, link, RETRY_MIN_MS);
    }

    private static void open(Node node, Link link, long retryMs) {
        if (!link.isActive()) return;
        ControlStream c = new ControlStream(node, link, retryMs);
        link.control = c;
        c.home(() -> c.session = node.control().open(c));
        link.quic.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
            @Override
            protected void initChannel(QuicStreamChannel ch) {
                ch.pipeline().addLast(new PacketFrameDecoder(), c);
            }
        }).addListener(f -> {
            if (f.isSuccess()) {
                c.attach((QuicStreamChannel) f.getNow());
            } else {
                c.home(() -> c.session.onChannelClosed());
            }
        });
    }

    /**
     * Runs {@code task} on the home loop, where the route exchange lives, after every task handed over before; false
     * once the node stopped (its loops end together, the home loop first at times).
     */
    private boolean home(Runnable task) {
        try {
            node.loop().execute(task);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    /** {@code n} bytes read were taken (on the home loop): the stream reads again once the backlog is small. */
    private void taken(int n) {
        if (backlog.addAndGet(-n) <= BACKLOG_LOW && readPaused.compareAndSet(true, false)) {
            onLink(() -> {
                if (stream != null) stream.config().setAutoRead(true);
            });
        }
    }

    /** Runs {@code task} on the link's loop, where the stream lives; false once the node stopped. */
    private boolean onLink(Runnable task) {
        EventLoop l = link.quic.eventLoop();
        if (l.inEventLoop()) {
            task.run();
            return true;
        }
        try {
            l.execute(task);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Why a stream the peer opened with an OPEN under label 0 cannot be {@code link}'s control channel, or null when
     * it becomes it (§12.1): only the dialler opens one, and only while the link has none. A second one must not
     * replace the first: each replacement would withdraw and re-learn every route over the link.
     */
    static String refusal(Link link) {
        if (link.dialer) return "the control channel is opened by the dialler of the link, which is this node";
        if (link.control != null) return "this link has a control channel already";
        return null;
    }

    /** A stream the peer opened with an OPEN under label 0 ({@link #refusal} null): the control channel. Takes the packet. */
    static void accept(Node node, Link link, QuicStreamChannel stream, ChannelHandlerContext current, ByteBuf open) {
        ControlStream c = new ControlStream(node, link, RETRY_MIN_MS);
        link.control = c;
        c.home(() -> {
            c.session = node.control().open(c);
            c.session.onPacket(open);
        });
        current.pipeline().replace(current.handler(), "control", c);
        c.attach(stream);
    }

    private void attach(QuicStreamChannel s) {
        stream = s;
        ArrayDeque<ByteBuf> q = waiting;
        waiting = null;
        for (ByteBuf p : q) write(p);
        s.flush();
        if (finished) finishStream();
    }

    @Override
    public String peerNodeId() {
        return link.peerNodeId;
    }

    @Override
    public boolean dialler() {
        return link.dialer;
    }

    @Override
    public void send(ByteBuf packet) {
        if (!onLink(() -> sendHere(packet))) packet.release();
    }

    private void sendHere(ByteBuf packet) {
        if (finished) {
            packet.release();
        } else if (stream == null) {
            waiting.add(packet);
        } else {
            write(packet);
            stream.flush();
        }
    }

    private void write(ByteBuf packet) {
        stream.write(stream.alloc().compositeBuffer(2).addComponents(true,
                PacketFrameDecoder.prefix(stream.alloc(), packet.readableBytes()), packet), stream.voidPromise());
    }

    /** Ends the channel: FIN after what was sent; the dialler opens a new one later while the link lives. */
    @Override
    public void finish() {
        onLink(this::finishHere);
    }

    private void finishHere() {
        if (finished) return;
        finished = true;
        if (stream != null) {
            finishStream();
        } else { // the stream never opened: nothing queued will be sent
            waiting.forEach(ByteBuf::release);
            waiting.clear();
        }
        if (link.control == this) link.control = null;
        if (link.dialer && link.isActive()) {
            long next = Math.min(RETRY_MAX_MS, retryMs * 2);
            node.loop().schedule(() -> {
                if (node.control().hasChannel(link.peerNodeId)) return;
                onLink(() -> {
                    if (link.control == null && link.isActive() && node.link(link.peerNodeId) == link) {
                        open(node, link, next);
                    }
                });
            }, retryMs, TimeUnit.MILLISECONDS);
        }
    }

    private void finishStream() {
        QuicStreamChannel s = stream;
        if (!s.isActive()) return;
        s.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(w -> s.shutdownOutput());
        s.eventLoop().schedule(() -> s.close(), LINGER_SECONDS, TimeUnit.SECONDS);
    }

    /** The link went down: its routes go at once. */
    void linkDown() {
        home(() -> session.onChannelClosed());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            int n = b.readableBytes();
            if (backlog.addAndGet(n) >= BACKLOG_HIGH && readPaused.compareAndSet(false, true)) {
                ctx.channel().config().setAutoRead(false);
                taken(0); // taken meanwhile: the home loop saw no pause to end
            }
            if (!home(() -> {
                try {
                    session.onPacket(b);
                } finally {
                    taken(n);
                }
            })) {
                b.release();
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            home(() -> session.onChannelClosed()); // after a NOTIFICATION this changes nothing
            if (finished && stream.isOutputShutdown()) stream.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        home(() -> session.onChannelClosed());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        home(() -> session.fail(String.valueOf(cause.getMessage())));
    }
}
