package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Slow clients: a request head (HTTP/1.1 head, HTTP/2 preface and header block, TLS handshake) that is not whole
 * within the head deadline ends the connection, however its bytes trickle, on every TCP listener and inside an
 * intercepted tunnel. The deadline here is 500 ms; each case must be over within it plus {@link #MARGIN}.
 */
class RequestHeadTimeoutTest extends IngressFixture {
    private static final Duration DEADLINE = Duration.ofMillis(500);
    private static final Duration MARGIN = Duration.ofMillis(1500);
    private static final int ENHANCE_YOUR_CALM = 0x0b;

    @Override
    IngressConfig.Builder configure(IngressConfig.Builder builder) {
        return builder.requestHeadTimeout(DEADLINE);
    }

    @Test
    void aTrickledHeadIsAnswered408AndClosed() throws Exception {
        long before = server.counters().get(HeadTimedHttpConnection.TIMED_OUT);
        long failed = server.counters().get("ingress.rejected.500");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.cleartextPort())) {
            assertTimedOutWith408(socket, System.nanoTime());
        }
        assertEquals(before + 1, server.counters().get(HeadTimedHttpConnection.TIMED_OUT));
        assertEquals(failed, server.counters().get("ingress.rejected.500"), "nothing else is answered");
        assertTrue(server.counters().get("ingress.rejected.408") > 0);
    }

    @Test
    void aTrickledHeadOverTlsIsAnswered408AndClosed() throws Exception {
        try (SSLSocket socket = tls("http/1.1")) {
            long start = System.nanoTime();
            socket.startHandshake();
            assertTimedOutWith408(socket, start);
        }
    }

    @Test
    void aTrickledHeadInsideAnInterceptedTunnelIsAnswered408() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.cleartextPort())) {
            socket.setSoTimeout((int) DEADLINE.plus(MARGIN).multipliedBy(2).toMillis());
            send(socket, "CONNECT echo.demo.acip:80 HTTP/1.1\r\nHost: echo.demo.acip:80\r\n\r\n");
            String connected = readHead(socket.getInputStream());
            assertEquals(200, RawHttp1.status(connected), connected);
            assertTimedOutWith408(socket, System.nanoTime());
        }
    }

    /** Between requests only the idle timeout applies: the next head's deadline starts at its first byte. */
    @Test
    void anIdleKeepAliveConnectionIsNotAHeadTimeout() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.cleartextPort())) {
            socket.setSoTimeout(10_000);
            for (int i = 0; i < 2; i++) {
                send(socket, "GET /keep/" + i + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
                String head = readHead(socket.getInputStream());
                assertEquals(200, RawHttp1.status(head), head);
                assertEquals("0\r\n\r\n", readHead(socket.getInputStream())); // the empty chunked body
                // The scenario is idleness longer than the deadline, not a wait for an event.
                Thread.sleep(DEADLINE.multipliedBy(2).toMillis());
            }
        }
    }

    /** h2c by prior knowledge: a HEADERS frame without END_HEADERS and no CONTINUATION ends in GOAWAY. */
    @Test
    void anUnfinishedHttp2HeaderBlockEndsTheConnection() throws Exception {
        long before = server.counters().get(H2HeadDeadline.TIMED_OUT);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.cleartextPort())) {
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(frame(0x4, 0, 0, new byte[0])); // SETTINGS
            // HEADERS on stream 1 with END_STREAM but not END_HEADERS: ":method: GET" (HPACK static index 2) only.
            out.write(frame(0x1, 0x1, 1, new byte[] {(byte) 0x82}));
            out.flush();
            assertGoAwayThenClose(socket, start);
        }
        assertEquals(before + 1, server.counters().get(H2HeadDeadline.TIMED_OUT));
    }

    /** h2 over TLS: a client that negotiates h2 and never sends its preface. */
    @Test
    void aMissingHttp2PrefaceEndsTheConnection() throws Exception {
        try (SSLSocket socket = tls("h2")) {
            long start = System.nanoTime();
            socket.startHandshake();
            assertEquals("h2", socket.getApplicationProtocol());
            assertGoAwayThenClose(socket, start);
        }
    }

    /** A TLS handshake that never comes (or trickles) is closed at the deadline. */
    @Test
    void aMissingTlsHandshakeIsClosed() throws Exception {
        long before = server.counters().get(HandshakeTimedAlpnFactory.TIMED_OUT);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.tlsPort())) {
            long start = System.nanoTime();
            socket.setSoTimeout((int) DEADLINE.plus(MARGIN).multipliedBy(2).toMillis());
            socket.getOutputStream().write(0x16); // the first byte of a TLS record, and nothing more
            socket.getInputStream().readAllBytes(); // at most an alert, then the close
            assertWithinDeadline(start);
        }
        assertEquals(before + 1, server.counters().get(HandshakeTimedAlpnFactory.TIMED_OUT));
    }

    /** A request line, then one header byte every 100 ms: 408 with Connection: close, then the close. */
    private static void assertTimedOutWith408(Socket socket, long start) throws Exception {
        socket.setSoTimeout((int) DEADLINE.plus(MARGIN).multipliedBy(2).toMillis());
        send(socket, "GET /slow HTTP/1.1\r\nHost: localhost\r\n");
        Thread trickler = new Thread(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (byte b : "X-Slow: abcdefghijklmnopqrstuvwxyz\r\n".getBytes(StandardCharsets.US_ASCII)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(100); // the attack's pace, not a wait for an event
                }
            } catch (IOException | InterruptedException stopped) {
                // the gateway closed the connection: what the test expects
            }
        });
        trickler.setDaemon(true);
        trickler.start();
        try {
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertEquals(408, RawHttp1.status(head), head);
            assertEquals("close", RawHttp1.header(head, "connection").orElse(""), head);
            in.readAllBytes(); // the problem document, then the close
            assertWithinDeadline(start);
        } finally {
            trickler.interrupt();
        }
    }

    private static void assertGoAwayThenClose(Socket socket, long start) throws IOException {
        socket.setSoTimeout((int) DEADLINE.plus(MARGIN).multipliedBy(2).toMillis());
        ByteBuffer frames = ByteBuffer.wrap(socket.getInputStream().readAllBytes());
        assertWithinDeadline(start);
        int goAwayError = -1;
        while (frames.remaining() >= 9) {
            int length = (frames.get() & 0xff) << 16 | (frames.get() & 0xff) << 8 | (frames.get() & 0xff);
            int type = frames.get();
            frames.get(); // flags
            frames.getInt(); // stream
            if (type == 0x7) goAwayError = frames.getInt(frames.position() + 4);
            frames.position(frames.position() + length);
        }
        assertEquals(ENHANCE_YOUR_CALM, goAwayError, "GOAWAY's error code");
    }

    private static void assertWithinDeadline(long start) {
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(DEADLINE.minusMillis(50)) >= 0, "ended before the deadline: " + took);
        assertTrue(took.compareTo(DEADLINE.plus(MARGIN)) <= 0, "ended " + took + " after the start");
    }

    private SSLSocket tls(String alpn) throws IOException {
        SSLSocket socket = (SSLSocket) TestPki.clientContext().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.tlsPort());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {alpn});
        socket.setSSLParameters(parameters);
        return socket;
    }

    private static byte[] frame(int type, int flags, int stream, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(9 + payload.length);
        b.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        b.put((byte) type).put((byte) flags).putInt(stream).put(payload);
        return b.array();
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no response head within the bound: " + head, e);
            }
            if (b < 0) throw new AssertionError("closed in the response head: " + head);
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1
                    : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
