package io.acip.link;

import io.netty.handler.codec.quic.QuicCodecBuilder;
import java.util.concurrent.TimeUnit;

/** Applies a {@link LinkConfig} to a QUIC codec builder, the same for both ends of a link. */
public final class QuicLinks {
    /** QUIC DATAGRAM frames queued per connection, each way, before new ones are dropped. */
    private static final int DATAGRAM_QUEUE = 4096;

    private QuicLinks() {
    }

    public static <B extends QuicCodecBuilder<B>> B configure(B builder, LinkConfig c) {
        return builder
                .maxIdleTimeout(c.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxRecvUdpPayloadSize(c.maxUdpPayload())
                .maxSendUdpPayloadSize(c.maxUdpPayload())
                .initialMaxData(c.connectionWindow())
                .initialMaxStreamDataBidirectionalLocal(c.streamWindow())
                .initialMaxStreamDataBidirectionalRemote(c.streamWindow())
                .initialMaxStreamsBidirectional(c.maxStreams())
                .datagram(DATAGRAM_QUEUE, DATAGRAM_QUEUE)
                .activeMigration(false);
    }
}
