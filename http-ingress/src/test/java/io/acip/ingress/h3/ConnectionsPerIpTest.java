package io.acip.ingress.h3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.ingress.ConnectionsPerIp;
import io.acip.ingress.jetty.IngressConfig;
import io.acip.ingress.jetty.IngressServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * One client IP address may hold {@link #CAP} connections over all listeners together, TCP (cleartext and TLS)
 * and QUIC: the next is closed at once (TCP) or refused with CONNECTION_REFUSED (QUIC), counted, and once one
 * closes a new one is admitted. The count stays exact when connections come and go in a hurry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ConnectionsPerIpTest {
    private static final int CAP = 3;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private IngressServer server;
    private final List<Socket> open = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        server = new IngressServer(IngressConfig.builder("acip-test").cleartext(any).tls(any, H3TestPki.SERVER)
                .http3(true).maxConnectionsPerIp(CAP).idleTimeout(Duration.ofSeconds(60))
                .stopTimeout(Duration.ofSeconds(5)).build(), new H3TestHandler());
        server.start();
    }

    @AfterAll
    void stop() throws Exception {
        server.stop();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (Socket s : open) s.close();
        open.clear();
        awaitTrue(() -> server.connectionsPerIp().addresses() == 0, "every connection released");
    }

    @Test
    void theConnectionOverTheCapIsClosedAndTheNextAfterACloseIsServed() throws Exception {
        long before = server.counters().get("ingress.connection.refused_per_ip");
        for (int i = 0; i < CAP; i++) served(connect(server.cleartextPort()));
        Socket over = connect(server.cleartextPort());
        over.setSoTimeout((int) WAIT.toMillis());
        assertEquals(-1, readOrReset(over.getInputStream()), "the connection over the cap is closed unread");
        assertEquals(before + 1, server.counters().get("ingress.connection.refused_per_ip"));
        assertEquals(CAP, server.connectionsPerIp().open(LOOPBACK));

        open.remove(0).close();
        awaitTrue(() -> server.connectionsPerIp().open(LOOPBACK) == CAP - 1, "the closed connection released");
        served(connect(server.cleartextPort()));
    }

    @Test
    void tcpAndQuicShareOneCap() throws Exception {
        for (int i = 0; i < CAP; i++) served(connect(server.cleartextPort()));
        long before = server.counters().get(CounterNames.H3_CONNECTIONS_REFUSED_PER_IP);
        InetSocketAddress h3 = new InetSocketAddress("127.0.0.1", server.http3Port());
        assertRefused(h3);
        // At least once: a client's retransmitted Initial may come after the refusal and be refused in turn.
        assertTrue(server.counters().get(CounterNames.H3_CONNECTIONS_REFUSED_PER_IP) > before);

        open.remove(0).close();
        awaitTrue(() -> server.connectionsPerIp().open(LOOPBACK) == CAP - 1, "the closed connection released");
        try (NettyH3Client client = new NettyH3Client(h3, H3TestPki.CA.certificate())) {
            assertEquals(CAP, server.connectionsPerIp().open(LOOPBACK));
            // ... and now a TCP connection is the one over the cap.
            Socket over = connect(server.tlsPort());
            over.setSoTimeout((int) WAIT.toMillis());
            assertEquals(-1, readOrReset(over.getInputStream()));
            assertTrue(client.quic.isActive());
        }
        awaitTrue(() -> server.connectionsPerIp().open(LOOPBACK) == CAP - 1, "the QUIC connection released");
    }

    /** Many clients opening and closing at once, most over the cap: afterwards nothing is left counted. */
    @Test
    void theCountIsExactUnderChurn() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        try (Socket s = new Socket(LOOPBACK, i % 2 == 0 ? server.cleartextPort() : server.tlsPort())) {
                            s.getOutputStream().write("GET /churn HTTP/1.1\r\nHost: x\r\n\r\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                        } catch (IOException refusedOrReset) {
                            // over the cap, the gateway may have closed first: what the test provokes
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) f.get();
        } finally {
            pool.shutdownNow();
        }
        awaitTrue(() -> server.connectionsPerIp().addresses() == 0, "every churned connection released");
        // The full cap is there again. A churned connection the client closed before the listener accepted it may
        // still be counted (and released) after that, for a moment: such a refusal is tried again, within WAIT.
        long deadline = System.nanoTime() + WAIT.toNanos();
        for (int admitted = 0; admitted < CAP; ) {
            Socket s = connect(server.cleartextPort());
            if (servedOrRefused(s)) {
                admitted++;
            } else {
                s.close();
                assertTrue(System.nanoTime() < deadline, "the cap was not free again within " + WAIT);
            }
        }
        awaitTrue(() -> server.connectionsPerIp().open(LOOPBACK) == CAP, "exactly the admitted ones counted");
    }

    /**
     * The listener closes the connection with CONNECTION_REFUSED (RFC 9000 §20.1) as it sets it up: the client's
     * handshake either fails with it, or completes with the close following at once.
     */
    private static void assertRefused(InetSocketAddress h3) throws Exception {
        NettyH3Client client;
        try {
            client = new NettyH3Client(h3, H3TestPki.CA.certificate());
        } catch (Exception refused) {
            return;
        }
        try (client) {
            io.netty.handler.codec.quic.QuicConnectionCloseEvent close =
                    client.closedByPeer.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            assertTrue(!close.isApplicationClose() && close.error() == 0x2, close.toString());
        }
    }

    private Socket connect(int port) throws IOException {
        Socket s = new Socket(LOOPBACK, port);
        open.add(s);
        return s;
    }

    /** A request served on {@code s} (TLS sockets are not used here: a plain request proves the admission). */
    /** True when {@code s} was served; false when the listener closed it unserved (refused over the cap). */
    private static boolean servedOrRefused(Socket s) throws IOException {
        s.setSoTimeout((int) WAIT.toMillis());
        try {
            s.getOutputStream().write("GET /admitted HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] status = s.getInputStream().readNBytes(12);
            if (status.length == 0) return false;
            assertEquals("HTTP/1.1 200", new String(status, StandardCharsets.US_ASCII));
            return true;
        } catch (java.net.SocketException reset) {
            return false;
        }
    }

    private static void served(Socket s) throws IOException {
        s.setSoTimeout((int) WAIT.toMillis());
        s.getOutputStream().write("GET /admitted HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] status = s.getInputStream().readNBytes(12);
        assertEquals("HTTP/1.1 200", new String(status, StandardCharsets.US_ASCII));
    }

    private static int readOrReset(InputStream in) {
        try {
            return in.read();
        } catch (IOException reset) {
            return -1; // a close with unread bytes can reach the client as a reset: closed either way
        }
    }

    /** Waits, bounded, for a state the server reaches on its own threads (a close being counted). */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + WAIT + ": " + what);
            Thread.sleep(5); // polling a counter the server moves: no event to wait on from here
        }
    }
}
