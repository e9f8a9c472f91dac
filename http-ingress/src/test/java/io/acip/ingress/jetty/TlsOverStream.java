package io.acip.ingress.jetty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;

/**
 * A TLS client driven by hand over an HTTP/2 CONNECT stream ({@link H2Peer}): the JDK's SSLEngine and Jetty's
 * frame-level HTTP/2 API, nothing of Jetty's tunnelling client in between, so a CONNECT-over-HTTP/2 test checks
 * the gateway and not another tunnel implementation.
 */
final class TlsOverStream {
    private final H2Peer.Exchange tunnel;
    private final SSLEngine engine;
    private final ByteArrayOutputStream app = new ByteArrayOutputStream();
    private ByteBuffer netIn = ByteBuffer.allocate(1 << 16);
    private int seen;
    private int taken;

    TlsOverStream(H2Peer.Exchange tunnel, SSLContext context, String host, int port, String alpn) {
        this.tunnel = tunnel;
        this.engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the minted leaf must name the host
        parameters.setServerNames(List.of(new SNIHostName(host)));
        parameters.setApplicationProtocols(new String[] {alpn});
        engine.setSSLParameters(parameters);
    }

    String applicationProtocol() {
        return engine.getApplicationProtocol();
    }

    void handshake() throws Exception {
        engine.beginHandshake();
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> wrap(ByteBuffer.allocate(0));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrap(ByteBuffer.allocate(engine.getSession()
                        .getApplicationBufferSize()));
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) task.run();
                }
                default -> {
                    return;
                }
            }
        }
    }

    void write(String text) throws Exception {
        wrap(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    void write(byte[] bytes) throws Exception {
        wrap(ByteBuffer.wrap(bytes));
    }

    /** Application bytes until the server's close_notify or the end of the stream. */
    String readToClose() throws Exception {
        while (!engine.isInboundDone() && decryptMore()) {
            // keep reading
        }
        return app.toString(StandardCharsets.ISO_8859_1);
    }

    /** Exactly {@code n} more application bytes. */
    byte[] read(int n) throws Exception {
        while (app.size() - taken < n) {
            if (!decryptMore()) throw new IOException("the tunnel ended after " + (app.size() - taken) + " bytes");
        }
        byte[] out = Arrays.copyOfRange(app.toByteArray(), taken, taken + n);
        taken += n;
        return out;
    }

    private boolean decryptMore() throws Exception {
        ByteBuffer appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        if (!unwrap(appIn)) return false;
        appIn.flip();
        app.write(appIn.array(), 0, appIn.limit());
        return true;
    }

    private void wrap(ByteBuffer app) throws Exception {
        do {
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            SSLEngineResult r = engine.wrap(app, out);
            if (r.getStatus() != SSLEngineResult.Status.OK && r.getStatus() != SSLEngineResult.Status.CLOSED) {
                throw new IOException("wrap: " + r);
            }
            out.flip();
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            if (bytes.length > 0) tunnel.data(bytes, false).get();
        } while (app.hasRemaining());
    }

    /** One unwrap step, reading more from the tunnel as needed; false when the stream ended first. */
    private boolean unwrap(ByteBuffer appIn) throws Exception {
        while (true) {
            netIn.flip();
            SSLEngineResult r = engine.unwrap(netIn, appIn);
            netIn.compact();
            switch (r.getStatus()) {
                case OK, CLOSED -> {
                    return true;
                }
                case BUFFER_UNDERFLOW -> {
                    byte[] more = tunnel.awaitMore(seen);
                    if (more.length == 0) return false;
                    seen += more.length;
                    if (netIn.remaining() < more.length) {
                        ByteBuffer bigger = ByteBuffer.allocate(netIn.position() + more.length + (1 << 16));
                        netIn.flip();
                        bigger.put(netIn);
                        netIn = bigger;
                    }
                    netIn.put(more);
                }
                default -> throw new IOException("unwrap: " + r);
            }
        }
    }
}
