package io.acip.node;

import io.acip.link.PacketFrameDecoder;
import io.acip.wire.Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A session's leg on a link: its label there and the QUIC stream that carries its packets (docs/acip-v0.md §2.2).
 * DGRAMs of datagram-mode sessions leave in QUIC DATAGRAM frames instead. Until an outgoing stream is open,
 * packets wait in a short queue.
 */
final class StreamLeg extends Leg {
    static final int LINGER_SECONDS = 30;
    /** Bytes queued on the stream before the feeding leg pauses, and the level at which it resumes. */
    static final int HIGH_WATER = 256 * 1024;
    static final int LOW_WATER = 64 * 1024;

    final Link link;
    final int label;
    private final NodeStats stats;
    QuicStreamChannel stream;
    private ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
    private boolean inputPaused;
    private long queued;
    private boolean overHigh;

    StreamLeg(Link link, int label, NodeStats stats) {
        super(link.quic.eventLoop());
        this.link = link;
        this.label = label;
        this.stats = stats;
    }

    /** The stream is open: send what waited. */
    void attach(QuicStreamChannel channel) {
        this.stream = channel;
        channel.config().setAutoRead(!inputPaused);
        ArrayDeque<ByteBuf> q = waiting;
        waiting = null;
        if (finished) {
            q.forEach(ByteBuf::release);
            closeStream();
            return;
        }
        for (ByteBuf p : q) write(p);
        channel.flush();
    }

    @Override
    void transmit(ByteBuf packet) {
        Header.setLabel(packet, label);
        if (stream == null) {
            waiting.add(packet);
            return;
        }
        write(packet);
        stream.flush();
    }

    /**
     * Queues one framed packet. A Netty QUIC stream has no outbound buffer of its own to report on (its writability
     * only mirrors stream credit), so the leg counts what it queued and applies its own water marks.
     */
    private void write(ByteBuf packet) {
        int n = packet.readableBytes();
        ByteBuf framed = stream.alloc().compositeBuffer(2)
                .addComponents(true, PacketFrameDecoder.prefix(stream.alloc(), n), packet);
        queued += n;
        if (!overHigh && queued >= HIGH_WATER) {
            overHigh = true;
            writabilityChanged(false);
        }
        stream.write(framed).addListener(f -> written(n));
    }

    private void written(int n) {
        queued -= n;
        if (overHigh && queued <= LOW_WATER) {
            overHigh = false;
            if (!finished) writabilityChanged(true);
        }
    }

    @Override
    void transmitDatagram(ByteBuf packet) {
        if (packet.readableBytes() > link.maxDatagram) {
            stats.inc("acip.dgram.dropped.too_big");
            packet.release();
            return;
        }
        Header.setLabel(packet, label);
        link.quic.writeAndFlush(packet, link.quic.voidPromise());
    }

    @Override
    boolean isWritable() {
        return stream == null ? waiting.size() < 16 : !overHigh;
    }

    @Override
    void setInputPaused(boolean paused) {
        inputPaused = paused;
        if (stream != null) stream.config().setAutoRead(!paused);
    }

    @Override
    void release() {
        link.unbind(this);
        if (waiting != null && stream == null) return; // attach() releases the queue and closes
        closeStream();
    }

    /**
     * Ends our side of the stream after the last packet (a FIN, never a reset that could drop the CLOSE or RESET
     * still queued); the stream closes when the peer's FIN arrives too, or after {@link #LINGER_SECONDS} at most.
     *
     * <p>The FIN is usually a zero-length STREAM frame written after the peer has acknowledged all our data, and the
     * quiche inside Netty 4.2.18 then counts our sending side as complete at once (cloudflare/quiche#2525): if it
     * reads the peer's FIN before it has put ours on the wire, it collects the stream and drops our FIN, so the peer
     * never collects its side and never hands the stream credit back (MAX_STREAMS). So the FIN is written outside
     * the read loop, where Netty sends it at once, and the peer's FIN is left unread until ours has had about a
     * round trip to be acknowledged (or resent).
     */
    private void closeStream() {
        QuicStreamChannel s = stream;
        if (s == null || !s.isActive()) return;
        s.config().setAutoRead(false);
        s.eventLoop().execute(() -> {
            if (!s.isActive()) return;
            // The empty write completes only after every write before it: FIN goes after the last packet.
            s.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(w -> s.shutdownOutput().addListener(f ->
                    s.eventLoop().schedule(() -> readPeerFin(s), finGraceMillis(), TimeUnit.MILLISECONDS)));
        });
        s.eventLoop().schedule(() -> s.close(), LINGER_SECONDS, TimeUnit.SECONDS);
    }

    /** Reads on to the peer's FIN (whatever backpressure paused); closes now if it was read already. */
    private static void readPeerFin(QuicStreamChannel s) {
        if (!s.isActive()) return;
        if (s.isInputShutdown()) {
            s.close();
        } else {
            s.config().setAutoRead(true); // StreamHandler closes on the peer's FIN
        }
    }

    /**
     * Time for our FIN to be acknowledged: two round trips (quiche acknowledges at once), so a lost FIN is usually
     * resent in time. Kept short: the stream holds one of the peer's stream credits until it is collected.
     */
    private long finGraceMillis() {
        long rtt = link.rttMs;
        return rtt < 0 ? 50 : 2 * rtt + 5;
    }

    @Override
    String describe() {
        return link + " label 0x" + Integer.toHexString(label);
    }
}
