package io.acip.ingress.masque;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * CONNECT-UDP over HTTP/1.1 (RFC 9298 §3.2) by hand: one socket per flow, {@code GET} with {@code Upgrade:
 * connect-udp}, then capsules both ways with the project's capsule codecs. TLS (ALPN http/1.1, the name
 * {@code localhost} verified) or cleartext.
 */
public final class Http1MasqueClient implements PipeliningMasqueClient {
    private final InetSocketAddress proxy;
    private final SSLContext tls; // null: cleartext
    private final List<Http1Flow> flows = new CopyOnWriteArrayList<>();

    private Http1MasqueClient(InetSocketAddress proxy, SSLContext tls) {
        this.proxy = proxy;
        this.tls = tls;
    }

    public static Http1MasqueClient cleartext(InetSocketAddress proxy) {
        return new Http1MasqueClient(proxy, null);
    }

    /** Over TLS, trusting the certificates in {@code trustStore} and checking the proxy is {@code localhost}. */
    public static Http1MasqueClient tls(InetSocketAddress proxy, KeyStore trustStore) throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return new Http1MasqueClient(proxy, context);
    }

    @Override
    public String httpVersion() {
        return "HTTP/1.1";
    }

    @Override
    public Flow open(String authority, String pathAndQuery, Fields extraHeaders, boolean capsuleProtocol,
                     Duration timeout) throws Exception {
        return start(authority, pathAndQuery, extraHeaders, capsuleProtocol, List.of(), timeout)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Flow> openAhead(String authority, String pathAndQuery, List<byte[]> payloads,
                                             Duration timeout) throws Exception {
        return start(authority, pathAndQuery, Fields.EMPTY, true, payloads, timeout);
    }

    private CompletableFuture<Flow> start(String authority, String pathAndQuery, Fields extraHeaders,
                                          boolean capsuleProtocol, List<byte[]> early, Duration timeout)
            throws IOException {
        Socket socket = connect(timeout);
        Http1Flow flow = new Http1Flow(socket);
        flows.add(flow);
        StringBuilder head = new StringBuilder("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                .append("Host: ").append(authority).append("\r\n")
                .append("Connection: Upgrade\r\nUpgrade: connect-udp\r\n");
        if (capsuleProtocol) head.append("Capsule-Protocol: ?1\r\n");
        for (Field f : extraHeaders.lines()) head.append(f.name()).append(": ").append(f.value()).append("\r\n");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] payload : early) request.writeBytes(CapsuleStreamFlow.datagram(payload)); // in the same write as the request
        flow.write(request.toByteArray());
        Thread reader = new Thread(flow::read, "h1-masque-reader");
        reader.setDaemon(true);
        reader.start();
        return flow.response;
    }

    private Socket connect(Duration timeout) throws IOException {
        Socket plain = new Socket();
        plain.connect(proxy, (int) timeout.toMillis());
        plain.setTcpNoDelay(true);
        if (tls == null) return plain;
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", proxy.getPort(), true);
        SSLParameters params = socket.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(params);
        socket.startHandshake();
        return socket;
    }

    @Override
    public void close() {
        for (Http1Flow flow : flows) flow.abort();
    }

    private static final class Http1Flow extends CapsuleStreamFlow {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private volatile byte[] body = new byte[0];

        Http1Flow(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream());
        }

        /** The reader thread: the response head, then its body or the capsules after a 101. */
        void read() {
            try {
                readHead();
                if (status != 101) {
                    int length = headers.first("content-length").map(Integer::parseInt).orElse(0);
                    body = in.readNBytes(length);
                    response.complete(this);
                    return;
                }
                response.complete(this);
                byte[] buffer = new byte[16 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received.feed(ByteBuffer.wrap(buffer, 0, n));
                }
            } catch (Exception e) {
                response.completeExceptionally(e);
            } finally {
                received.ended();
            }
        }

        private void readHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) throw new EOFException("connection closed in the response head: " + head);
                head.write(b);
                matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1
                        : (b == '\r' ? 1 : 0);
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            status = Integer.parseInt(lines[0].substring(9, 12));
            List<Field> fields = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    fields.add(new Field(lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).strip()));
                }
            }
            headers = new Fields(fields);
        }

        synchronized void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        @Override
        public byte[] body() {
            return body;
        }

        @Override
        public void sendRaw(byte[] bytes) throws Exception {
            write(bytes);
        }

        /** Ends cleanly: a half-close, then the proxy's own end (unread bytes at close would become a reset). */
        @Override
        public void close() throws IOException {
            if (!socket.isClosed() && !received.isClosed()) {
                try {
                    socket.shutdownOutput();
                    received.awaitClosedQuietly(Duration.ofSeconds(5));
                } catch (IOException ignored) {
                    // already broken: closing is all that is left
                }
            }
            socket.close();
        }

        void abort() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all that was asked
            }
        }

        @Override
        public String toString() {
            return "HTTP/1.1 flow " + status;
        }
    }
}
