package io.acip.bench.udp;

import io.acip.capsule.Capsule;
import io.acip.capsule.CapsuleListener;
import io.acip.capsule.CapsuleParser;
import io.acip.capsule.CodecException;
import io.acip.capsule.DatagramPayload;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * CONNECT-UDP over HTTP/2 extended CONNECT (RFC 9298 §3.4, RFC 8441) from Jetty's frame-level {@link HTTP2Client}:
 * UDP payloads go both ways as DATAGRAM capsules (RFC 9297 §3.5: type 0x00, length, context ID 0, payload) in DATA
 * frames, written and parsed with the capsule module's codecs. h2 over TLS (ALPN), or h2c by prior knowledge.
 *
 * <p>Jetty takes one DATA write at a time per stream, so capsules the window sends while a write is under way
 * gather in a second buffer and leave as one DATA frame when it completes. The window runs on a thread of its own
 * ({@code client-h2-window}); Jetty's threads ({@code client-h2}) parse what arrives and hand the sequence numbers
 * over, one task per DATA frame.
 */
public final class H2MasquePath implements EchoPath {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final DefaultEventLoop loop = new DefaultEventLoop(new DefaultThreadFactory("client-h2-window"));
    private final HTTP2Client client;
    private final List<String> notes = new ArrayList<>();
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private final Capsules capsules = new Capsules();
    private EchoWindow window;
    private Stream stream;
    private volatile String streamEnd;

    /**
     * Connects to {@code proxy} (TLS trusting {@code trustStore}, or h2c when it is null) and opens a CONNECT-UDP flow
     * to {@code target}; returns once the gateway answered 200.
     */
    public H2MasquePath(InetSocketAddress proxy, KeyStore trustStore, InetSocketAddress target, Payload payload,
                        int windowSize, Duration lossTimeout) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("client-h2");
        client = new HTTP2Client();
        client.setExecutor(threads);
        client.setSelectors(1);
        try {
            open(proxy, trustStore, target, payload, windowSize, lossTimeout);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private void open(InetSocketAddress proxy, KeyStore trustStore, InetSocketAddress target, Payload payload,
                      int windowSize, Duration lossTimeout) throws Exception {
        boolean tls = trustStore != null;
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        if (tls) {
            ssl.setTrustStore(trustStore);
            client.addBean(ssl);
        }
        client.start();
        CompletableFuture<Void> settings = new CompletableFuture<>();
        Session.Listener listener = new Session.Listener() {
            @Override
            public void onSettings(Session s, SettingsFrame frame) {
                settings.complete(null);
            }
        };
        Session session = (tls ? client.connect(ssl, proxy, listener) : client.connect(proxy, listener))
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        settings.get(WAIT.toMillis(), TimeUnit.MILLISECONDS); // RFC 8441 §4: extended CONNECT once the server allows it

        HttpFields.Mutable fields = HttpFields.build().put("capsule-protocol", "?1");
        MetaData.ConnectRequest request = new MetaData.ConnectRequest(tls ? HttpScheme.HTTPS : HttpScheme.HTTP,
                new HostPortHttpField("localhost:" + proxy.getPort()), MasquePaths.connectUdp(target), fields,
                "connect-udp");
        stream = session.newStream(new HeadersFrame(request, null, false), new Answers())
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        int answer = status.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (answer != 200) throw new IllegalStateException("CONNECT-UDP over HTTP/2 answered " + answer);
        window = new EchoWindow(loop, windowSize, lossTimeout, new CapsuleWriter(payload, windowSize));
    }

    @Override
    public EchoWindow window() {
        return window;
    }

    @Override
    public List<String> notes() {
        List<String> out = new ArrayList<>(notes);
        if (streamEnd != null) out.add("the stream ended during the run: " + streamEnd);
        return out;
    }

    @Override
    public void close() throws Exception {
        Stream s = stream;
        if (s != null && !s.isClosed()) s.data(new DataFrame(s.getId(), ByteBuffer.allocate(0), true), Callback.NOOP);
        client.stop();
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Sends for the window (on its loop): capsules gather in one buffer while the other is being written. */
    private final class CapsuleWriter implements EchoWindow.Sender {
        private final Payload payload;
        private final ByteBuffer udpPayload;
        private final int capsuleLength;
        private ByteBuffer pending;
        private ByteBuffer writing;
        private boolean inWrite;

        CapsuleWriter(Payload payload, int windowSize) {
            this.payload = payload;
            this.udpPayload = ByteBuffer.allocate(payload.size());
            this.capsuleLength = Capsule.datagramLength(DatagramPayload.UDP_PAYLOAD_CONTEXT, payload.size());
            // At most a window's worth of payloads is outstanding, so neither buffer can need more.
            this.pending = ByteBuffer.allocateDirect(windowSize * capsuleLength);
            this.writing = ByteBuffer.allocateDirect(windowSize * capsuleLength);
        }

        @Override
        public boolean send(long seq) {
            if (pending.remaining() < capsuleLength) return false;
            udpPayload.clear();
            payload.writeTo(udpPayload, seq);
            Capsule.writeDatagram(pending, DatagramPayload.UDP_PAYLOAD_CONTEXT, udpPayload.flip());
            return true;
        }

        @Override
        public void flush() {
            if (inWrite || pending.position() == 0) return;
            ByteBuffer out = pending.flip();
            pending = writing;
            writing = out;
            inWrite = true;
            stream.data(new DataFrame(stream.getId(), out, false), Callback.from(
                    () -> loop.execute(this::written),
                    x -> loop.execute(() -> {
                        if (streamEnd == null) streamEnd = "write failed: " + x;
                    })));
        }

        private void written() {
            writing.clear();
            inWrite = false;
            flush();
        }
    }

    /** Sequence numbers of the payloads in one DATA frame's capsules; used by one Jetty thread at a time. */
    private static final class Capsules implements CapsuleListener {
        long[] seqs = new long[256];
        int count;

        @Override
        public void onCapsule(long type, ByteBuffer value) throws CodecException {
            DatagramPayload p = DatagramPayload.parse(value);
            if (!p.isUdpPayload() || p.data().remaining() < Payload.MIN_SIZE) return;
            if (count == seqs.length) seqs = Arrays.copyOf(seqs, count * 2);
            seqs[count++] = p.data().getLong(p.data().position());
        }
    }

    /** The response head, then the capsule stream. Jetty calls these one at a time per stream (demand-driven). */
    private final class Answers implements Stream.Listener {
        private final CapsuleParser parser = new CapsuleParser(1 << 16, capsules);

        @Override
        public void onHeaders(Stream s, HeadersFrame frame) {
            if (frame.getMetaData() instanceof MetaData.Response r) status.complete(r.getStatus());
            if (frame.isEndStream()) ended("END_STREAM with the head");
            s.demand();
        }

        @Override
        public void onDataAvailable(Stream s) {
            Stream.Data data = s.readData();
            if (data == null) {
                s.demand();
                return;
            }
            try {
                parser.feed(data.frame().getByteBuffer());
            } catch (CodecException e) {
                ended("malformed capsule: " + e.getMessage());
            }
            boolean end = data.frame().isEndStream();
            data.release();
            if (capsules.count > 0) {
                long[] seqs = Arrays.copyOf(capsules.seqs, capsules.count);
                capsules.count = 0;
                loop.execute(() -> {
                    for (long seq : seqs) window.onEcho(seq);
                    window.refill();
                });
            }
            if (end) {
                ended("END_STREAM from the gateway");
            } else {
                s.demand();
            }
        }

        @Override
        public void onReset(Stream s, ResetFrame frame, Callback callback) {
            ended("reset " + frame.getError());
            callback.succeeded();
        }

        @Override
        public void onFailure(Stream s, int error, String reason, Throwable failure, Callback callback) {
            ended("failure " + error + " " + reason);
            callback.succeeded();
        }

        private void ended(String why) {
            if (streamEnd == null) streamEnd = why;
            status.complete(-1);
        }
    }
}
