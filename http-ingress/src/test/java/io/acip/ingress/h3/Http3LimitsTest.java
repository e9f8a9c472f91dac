package io.acip.ingress.h3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.ingress.jetty.IngressConfig;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/3 listener's limits on what one client may make it hold: concurrent request streams per connection
 * (QUIC's own stream limit, RFC 9000 §4.6), the header section size it advertises (RFC 9114 §4.2.2), and the head
 * deadline for each request stream. Netty's own QUIC client is the peer, as it sends what it is asked to.
 */
class Http3LimitsTest extends Http3ListenerFixture {
    private static final int STREAMS = 2;
    private static final Duration DEADLINE = Duration.ofMillis(500);
    private static final Duration MARGIN = Duration.ofMillis(1500);

    @Override
    IngressConfig listenerConfig() {
        return builder().maxConcurrentStreams(STREAMS).requestHeadTimeout(DEADLINE).build();
    }

    /**
     * Two streams held open (POSTs whose bodies have not ended): a third opens only once one of them ended, and then
     * a fourth is refused.
     */
    @Test
    void streamsOverTheLimitAreRefused() throws Exception {
        try (NettyH3Client client = new NettyH3Client(address(), H3TestPki.CA.certificate())) {
            List<QuicStreamChannel> held = new ArrayList<>();
            List<NettyH3Client.Stream> heldStreams = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) hold(client, held, heldStreams, i);
            assertEquals(0, client.quic.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL));
            client.streamLimitChanged.drainPermits(); // the first came with the handshake

            held.get(0).shutdownOutput().sync(); // the POST ends: its echo completes, and so does the stream
            assertEquals(-1L, heldStreams.get(0).ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(client.streamLimitChanged.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS),
                    "the listener never allowed another stream");
            hold(client, held, heldStreams, STREAMS);

            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> client.open(new NettyH3Client.Stream()));
            assertTrue(String.valueOf(refused.getCause()).contains("STREAM_LIMIT"), String.valueOf(refused));
            for (int i = 1; i < held.size(); i++) {
                held.get(i).shutdownOutput().sync();
                assertEquals(-1L, heldStreams.get(i).ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
        }
    }

    private void hold(NettyH3Client client, List<QuicStreamChannel> held, List<NettyH3Client.Stream> streams, int i)
            throws Exception {
        NettyH3Client.Stream s = new NettyH3Client.Stream();
        QuicStreamChannel stream = client.open(s);
        stream.writeAndFlush(NettyH3Client.post(authority(), "/held/" + i)).sync();
        assertEquals(200, s.status.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        held.add(stream);
        streams.add(s);
    }

    /** A header section over SETTINGS_MAX_FIELD_SECTION_SIZE: the connection ends with H3_EXCESSIVE_LOAD. */
    @Test
    void anOversizeHeaderSectionIsRefused() throws Exception {
        long before = counters.get(CounterNames.H3_EXCESSIVE_LOAD);
        try (NettyH3Client client = new NettyH3Client(address(), H3TestPki.CA.certificate())) {
            NettyH3Client.Stream s = new NettyH3Client.Stream();
            QuicStreamChannel stream = client.open(s);
            Http3HeadersFrame request = NettyH3Client.post(authority(), "/big");
            request.headers().add("x-big", "a".repeat(listenerConfig().requestHeaderSize()));
            stream.writeAndFlush(request).sync();
            QuicConnectionCloseEvent close = client.closedByPeer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(close.isApplicationClose(), close.toString());
            assertEquals(Http3ErrorCode.H3_EXCESSIVE_LOAD.code(), close.error(), close.toString());
        }
        assertEquals(before + 1, counters.get(CounterNames.H3_EXCESSIVE_LOAD));
    }

    /** A request stream that never brings its HEADERS frame is reset with H3_REQUEST_INCOMPLETE at the deadline. */
    @Test
    void aStreamWithoutItsHeadIsResetAtTheDeadline() throws Exception {
        long before = counters.get(CounterNames.H3_REQUEST_HEAD_TIMEOUTS);
        try (NettyH3Client client = new NettyH3Client(address(), H3TestPki.CA.certificate())) {
            NettyH3Client.Stream s = new NettyH3Client.Stream();
            long start = System.nanoTime();
            QuicStreamChannel stream = client.open(s);
            // QUIC opens a stream with its first frame: an unknown, reserved-type frame (RFC 9114 §7.2.8) is one
            // that carries no head.
            stream.writeAndFlush(new io.netty.handler.codec.http3.DefaultHttp3UnknownFrame(0x5f,
                    io.netty.buffer.Unpooled.EMPTY_BUFFER)).sync();
            long code = s.ended.get(DEADLINE.plus(MARGIN).multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(Http3ErrorCode.H3_REQUEST_INCOMPLETE.code(), code);
            assertTrue(took.compareTo(DEADLINE.minusMillis(50)) >= 0, "reset before the deadline: " + took);
            assertTrue(took.compareTo(DEADLINE.plus(MARGIN)) <= 0, "reset " + took + " after the start");
            // The connection itself is still good.
            NettyH3Client.Stream next = new NettyH3Client.Stream();
            QuicStreamChannel again = client.open(next);
            again.writeAndFlush(NettyH3Client.post(authority(), "/after")).sync();
            again.shutdownOutput().sync();
            assertEquals(200, next.status.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
        assertEquals(before + 1, counters.get(CounterNames.H3_REQUEST_HEAD_TIMEOUTS));
    }
}
