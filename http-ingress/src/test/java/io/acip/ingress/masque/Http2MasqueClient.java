package io.acip.ingress.masque;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * CONNECT-UDP over HTTP/2 extended CONNECT (RFC 9298 §3.4, RFC 8441) with Jetty's frame-level {@link HTTP2Client}:
 * one session, one stream per flow, capsules in DATA frames. h2c by prior knowledge, or h2 over TLS (ALPN).
 */
public final class Http2MasqueClient implements PipeliningMasqueClient {
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final HTTP2Client client = new HTTP2Client();
    private final boolean tls;
    private final Session session;

    private Http2MasqueClient(InetSocketAddress proxy, KeyStore trustStore) throws Exception {
        this.tls = trustStore != null;
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
        if (tls) {
            session = client.connect(ssl, proxy, listener).get(10, TimeUnit.SECONDS);
        } else {
            session = client.connect(proxy, listener).get(10, TimeUnit.SECONDS);
        }
        // RFC 8441 §4: extended CONNECT only once the server said SETTINGS_ENABLE_CONNECT_PROTOCOL = 1.
        settings.get(10, TimeUnit.SECONDS);
    }

    /** h2c by prior knowledge. */
    public static Http2MasqueClient cleartext(InetSocketAddress proxy) throws Exception {
        return new Http2MasqueClient(proxy, null);
    }

    /** h2 over TLS, trusting the certificates in {@code trustStore}. */
    public static Http2MasqueClient tls(InetSocketAddress proxy, KeyStore trustStore) throws Exception {
        return new Http2MasqueClient(proxy, trustStore);
    }

    @Override
    public String httpVersion() {
        return "HTTP/2";
    }

    @Override
    public Flow open(String authority, String pathAndQuery, Fields extraHeaders, boolean capsuleProtocol,
                     Duration timeout) throws Exception {
        return start("connect-udp", authority, pathAndQuery, extraHeaders, capsuleProtocol, List.of(), timeout)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Flow> openAhead(String authority, String pathAndQuery, List<byte[]> payloads,
                                             Duration timeout) throws Exception {
        return start("connect-udp", authority, pathAndQuery, Fields.EMPTY, true, payloads, timeout);
    }

    /** An extended CONNECT for any {@code :protocol}, Capsule-Protocol set. */
    public Flow openProtocol(String protocol, String authority, String pathAndQuery, Duration timeout)
            throws Exception {
        return start(protocol, authority, pathAndQuery, Fields.EMPTY, true, List.of(), timeout)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<Flow> start(String protocol, String authority, String pathAndQuery, Fields extra,
                                          boolean capsuleProtocol, List<byte[]> early, Duration timeout)
            throws Exception {
        HttpFields.Mutable fields = HttpFields.build();
        if (capsuleProtocol) fields.put("capsule-protocol", "?1");
        for (Field f : extra.lines()) fields.add(f.name(), f.value());
        MetaData.ConnectRequest request = new MetaData.ConnectRequest(tls ? HttpScheme.HTTPS : HttpScheme.HTTP,
                new HostPortHttpField(authority), pathAndQuery, fields, protocol);
        H2Flow flow = new H2Flow();
        flow.stream = session.newStream(new HeadersFrame(request, null, false), flow)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        for (byte[] payload : early) flow.sendRaw(CapsuleStreamFlow.datagram(payload));
        return flow.response;
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the HTTP/2 client", e);
        }
    }

    private static final class H2Flow extends CapsuleStreamFlow implements Stream.Listener {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private volatile Stream stream;
        private final AtomicBoolean localEnded = new AtomicBoolean();
        private final Object writeLock = new Object();

        @Override
        public void onHeaders(Stream s, HeadersFrame frame) {
            if (frame.getMetaData() instanceof MetaData.Response r) {
                status = r.getStatus();
                List<Field> lines = new ArrayList<>();
                for (HttpField f : r.getHttpFields()) {
                    lines.add(new Field(f.getName().toLowerCase(Locale.ROOT), f.getValue()));
                }
                headers = new Fields(lines);
                if (status / 100 == 2) response.complete(this);
            }
            if (frame.isEndStream()) ended(s);
            s.demand();
        }

        @Override
        public void onDataAvailable(Stream s) {
            Stream.Data data = s.readData();
            if (data == null) {
                s.demand();
                return;
            }
            ByteBuffer bytes = data.frame().getByteBuffer();
            try {
                if (status / 100 == 2) {
                    received.feed(bytes);
                } else {
                    byte[] copy = new byte[bytes.remaining()];
                    bytes.get(copy);
                    synchronized (body) {
                        body.writeBytes(copy);
                    }
                }
            } catch (Exception e) {
                s.reset(new ResetFrame(s.getId(), ErrorCode.PROTOCOL_ERROR.code), Callback.NOOP);
            }
            boolean end = data.frame().isEndStream();
            data.release();
            if (end) {
                ended(s);
            } else {
                s.demand();
            }
        }

        /** The proxy ended the stream: a refusal's body is complete, and a flow ends our side too. */
        private void ended(Stream s) {
            response.complete(this);
            received.ended();
            if (status / 100 != 2 || !localEnded.compareAndSet(false, true)) return;
            s.data(new DataFrame(s.getId(), ByteBuffer.allocate(0), true), Callback.NOOP);
        }

        @Override
        public void onReset(Stream s, ResetFrame frame, Callback callback) {
            response.completeExceptionally(new IllegalStateException("stream reset: " + frame.getError()));
            received.ended();
            callback.succeeded();
        }

        @Override
        public void onFailure(Stream s, int error, String reason, Throwable failure, Callback callback) {
            response.completeExceptionally(failure);
            received.ended();
            callback.succeeded();
        }

        @Override
        public byte[] body() {
            synchronized (body) {
                return body.toByteArray();
            }
        }

        /** One DATA frame; waits for it to be written (Jetty takes one data write at a time per stream). */
        @Override
        public void sendRaw(byte[] bytes) throws Exception {
            synchronized (writeLock) {
                stream.data(new DataFrame(stream.getId(), ByteBuffer.wrap(bytes), false))
                        .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        /** Ends cleanly with END_STREAM and waits for the proxy's; resets if that does not come. */
        @Override
        public void close() {
            Stream s = stream;
            if (s == null || received.isClosed()) return;
            if (localEnded.compareAndSet(false, true)) {
                synchronized (writeLock) {
                    s.data(new DataFrame(s.getId(), ByteBuffer.allocate(0), true), Callback.NOOP);
                }
            }
            if (!received.awaitClosedQuietly(Duration.ofSeconds(5))) {
                s.reset(new ResetFrame(s.getId(), ErrorCode.CANCEL_STREAM_ERROR.code), Callback.NOOP);
            }
        }

        @Override
        public String toString() {
            return "HTTP/2 flow " + status;
        }
    }
}
