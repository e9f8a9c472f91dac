package io.acip.ingress.h3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.http3.Http3SettingIdentifier;
import io.netty.handler.codec.http3.Http3SettingsFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.AttributeKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One agent's QUIC connection: what the agent's SETTINGS and QUIC transport parameters allow, and which request
 * stream each HTTP/3 Datagram belongs to (RFC 9297 §2.1). Touched only on the connection's event loop, which its
 * streams share, except for the two volatile capability fields.
 */
final class H3Connection {
    static final AttributeKey<H3Connection> KEY = AttributeKey.valueOf("acip.h3.connection");
    /** Datagrams held for streams not opened yet (RFC 9297 §2.1 allows "on the order of a round trip"). */
    private static final int EARLY_LIMIT = 16;
    private static final long EARLY_TTL_NANOS = 1_000_000_000L;

    private final QuicChannel quic;
    private final ListenerContext context;
    private final Map<Long, RequestStreamHandler> streams = new HashMap<>();
    private final ArrayDeque<Early> early = new ArrayDeque<>();
    private final ChannelFutureListener datagramSent;
    private final Runnable flush;
    private boolean flushPending;
    private long highestQuarterStreamId = -1;
    private volatile boolean peerH3Datagram;
    private volatile int maxDatagramLength;

    private record Early(long quarterStreamId, ByteBuffer payload, long at) {
    }

    H3Connection(QuicChannel quic, ListenerContext context) {
        this.quic = quic;
        this.context = context;
        this.datagramSent = f -> {
            if (!f.isSuccess()) context.counters().increment(CounterNames.UDP_DROPPED_QUEUE_FULL);
        };
        this.flush = () -> {
            flushPending = false;
            quic.flush();
        };
    }

    static H3Connection of(QuicChannel quic) {
        return quic.attr(KEY).get();
    }

    QuicChannel quic() {
        return quic;
    }

    /** Whether UDP payloads may travel as QUIC DATAGRAMs to this agent (RFC 9297 §2.1.1 and RFC 9221). */
    boolean datagramsNegotiated() {
        return peerH3Datagram && maxDatagramLength > 0;
    }

    int maxDatagramLength() {
        return maxDatagramLength;
    }

    /**
     * Queues one QUIC DATAGRAM frame's payload toward the agent. Everything queued in one turn of the loop leaves with
     * one flush after it: quiche packs it into packets back to back, and the listener's socket sends them with one
     * system call where the transport batches (epoll: sendmmsg, and UDP GSO for packets of one connection).
     */
    void writeDatagram(ByteBuf payload) {
        quic.write(payload).addListener(datagramSent);
        if (!flushPending) {
            flushPending = true;
            quic.eventLoop().execute(flush);
        }
    }

    void onPeerSettings(Http3SettingsFrame settings) {
        Long h3Datagram = settings.get(Http3SettingIdentifier.HTTP3_SETTINGS_H3_DATAGRAM.id());
        peerH3Datagram = h3Datagram != null && h3Datagram == 1;
    }

    void onDatagramExtension(int maxLength) {
        maxDatagramLength = maxLength;
    }

    void streamOpened(long quarterStreamId, RequestStreamHandler stream) {
        streams.put(quarterStreamId, stream);
        highestQuarterStreamId = Math.max(highestQuarterStreamId, quarterStreamId);
        long now = System.nanoTime();
        for (Iterator<Early> it = early.iterator(); it.hasNext(); ) {
            Early e = it.next();
            if (e.quarterStreamId == quarterStreamId) {
                it.remove();
                stream.onQuicDatagram(e.payload);
            } else if (now - e.at > EARLY_TTL_NANOS) {
                it.remove();
                context.counters().increment(CounterNames.H3_DATAGRAMS_UNKNOWN_STREAM);
            }
        }
    }

    void streamClosed(long quarterStreamId) {
        streams.remove(quarterStreamId);
    }

    /** A flow ended while its stream may linger: later datagrams for it are dropped, not held. */
    void flowEnded(long quarterStreamId) {
        RequestStreamHandler s = streams.get(quarterStreamId);
        if (s != null) s.flowEnded();
    }

    /** A QUIC DATAGRAM from the agent; the frame is released by the caller. */
    void onQuicDatagram(ByteBuf frame) {
        HttpDatagram datagram;
        try {
            datagram = HttpDatagram.parse(frame);
        } catch (HttpDatagram.MalformedException e) {
            connectionError(Http3ErrorCode.H3_DATAGRAM_ERROR, e.getMessage()); // RFC 9297 §2.1: MUST
            return;
        }
        long q = datagram.quarterStreamId();
        RequestStreamHandler stream = streams.get(q);
        if (stream != null) {
            stream.onQuicDatagram(datagram.payload());
            return;
        }
        if (q > highestQuarterStreamId) {
            // The agent can have opened at most maxConcurrentStreams streams beyond the highest one seen.
            if (q - highestQuarterStreamId > context.config().maxConcurrentStreams()) {
                // RFC 9297 §2.1: a stream that cannot be created under the stream limits SHOULD be H3_ID_ERROR.
                connectionError(Http3ErrorCode.H3_ID_ERROR, "HTTP Datagram for stream " + 4 * q
                        + ", beyond the bidirectional stream limit");
                return;
            }
            if (early.size() >= EARLY_LIMIT) {
                early.poll();
                context.counters().increment(CounterNames.H3_DATAGRAMS_UNKNOWN_STREAM);
            }
            ByteBuffer copy = ByteBuffer.allocate(datagram.payload().remaining()).put(datagram.payload().duplicate());
            early.add(new Early(q, copy.flip(), System.nanoTime()));
            return;
        }
        context.counters().increment(CounterNames.H3_DATAGRAMS_UNKNOWN_STREAM); // closed, or never CONNECT-UDP
    }

    private void connectionError(Http3ErrorCode code, String reason) {
        context.counters().increment(CounterNames.H3_DATAGRAM_ERRORS);
        quic.close(true, code.code(), Unpooled.copiedBuffer(reason, StandardCharsets.UTF_8));
    }
}
