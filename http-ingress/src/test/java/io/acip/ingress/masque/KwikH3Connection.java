package io.acip.ingress.masque;

import io.acip.tls.identity.CertificateIdentities;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.net.ssl.X509TrustManager;
import tech.kwik.core.ConnectionListener;
import tech.kwik.core.ConnectionTerminatedEvent;
import tech.kwik.core.DatagramSocketFactory;
import tech.kwik.core.QuicClientConnection;
import tech.kwik.core.log.Logger;
import tech.kwik.core.log.NullLogger;
import tech.kwik.flupke.impl.Http3ClientConnectionImpl;

/**
 * An HTTP/3 connection from an independent stack: Kwik (QUIC, with DATAGRAM frames) under Flupke (HTTP/3 control
 * stream, SETTINGS, QPACK streams). Request streams are driven frame by frame through {@link RawH3Stream}, so that
 * tests control every field (Flupke's own request API decodes {@code %XX} in paths and hides response fields on
 * CONNECT). QUIC DATAGRAMs are sent raw and received through a handler.
 */
public final class KwikH3Connection implements AutoCloseable {
    /** SETTINGS_H3_DATAGRAM (RFC 9297 §2.1.1). */
    public static final long SETTINGS_H3_DATAGRAM = 0x33;

    static {
        LossDetectorAssertion.disable(); // before any Kwik connection exists
    }

    private static final ExecutorService FLUPKE = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "flupke");
        t.setDaemon(true);
        return t;
    });

    /** A handshake on loopback takes milliseconds; anything near this is a bug to look at, not to retry. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final QuicClientConnection quic;
    private final Http3ClientConnectionImpl h3;
    private final CompletableFuture<ConnectionTerminatedEvent> terminated = new CompletableFuture<>();
    private final Map<Long, Consumer<byte[]>> datagramRoutes = new ConcurrentHashMap<>();
    private volatile Consumer<byte[]> otherDatagrams = d -> { };

    private KwikH3Connection(QuicClientConnection quic, boolean h3Datagrams) throws IOException {
        this.quic = quic;
        quic.setConnectionListener(new ConnectionListener() {
            @Override
            public void disconnected(ConnectionTerminatedEvent event) {
                terminated.complete(event);
            }
        });
        quic.setDatagramHandler(this::onDatagram);
        h3 = new Http3ClientConnectionImpl(quic, FLUPKE);
        if (h3Datagrams) h3.addSettingsParameter(SETTINGS_H3_DATAGRAM, 1);
        h3.connect();
    }

    /**
     * Connects to an HTTP/3 listener whose certificate chains to {@code ca}.
     *
     * @param h3Datagrams whether to send SETTINGS_H3_DATAGRAM=1 (the QUIC DATAGRAM extension is always offered)
     */
    public static KwikH3Connection connect(InetSocketAddress listener, X509Certificate ca, boolean h3Datagrams)
            throws IOException {
        return connect(listener, ca, h3Datagrams, new NullLogger());
    }

    /** As {@link #connect(InetSocketAddress, X509Certificate, boolean)}, logging through {@code logger}. */
    public static KwikH3Connection connect(InetSocketAddress listener, X509Certificate ca, boolean h3Datagrams,
                                           Logger logger) throws IOException {
        return new KwikH3Connection(newQuicConnection(listener, ca, logger), h3Datagrams);
    }

    /**
     * A Kwik QUIC connection to the listener, not connected yet (for Flupke's own {@code HttpClient}), with the
     * {@link ServerHelloGate} that keeps Kwik's handshake from stalling.
     */
    public static QuicClientConnection newQuicConnection(InetSocketAddress listener, X509Certificate ca,
                                                         Logger logger) throws IOException {
        // Kwik checks the server name against DNS names only: a loopback listener is reached as "localhost",
        // pinned to the listener's address family.
        boolean loopback = listener.getAddress() != null && listener.getAddress().isLoopbackAddress();
        String host = loopback ? "localhost" : listener.getHostString();
        QuicClientConnection.Builder builder = QuicClientConnection.newBuilder();
        if (loopback && listener.getAddress() instanceof java.net.Inet6Address) {
            builder.preferIPv6();
        } else if (loopback) {
            builder.preferIPv4();
        }
        ServerHelloGate gate = new ServerHelloGate(CONNECT_TIMEOUT);
        QuicClientConnection quic = builder
                .uri(URI.create("//" + host + ":" + listener.getPort()))
                .applicationProtocol("h3")
                .connectTimeout(CONNECT_TIMEOUT)
                .maxIdleTimeout(Duration.ofSeconds(60))
                .customTrustManager(new CaTrustManager(ca))
                .maxOpenPeerInitiatedUnidirectionalStreams(10)
                .maxOpenPeerInitiatedBidirectionalStreams(0)
                .enableDatagramExtension()
                .socketFactory(gate)
                .logger(logger)
                .build();
        gate.watch(quic);
        return quic;
    }

    /** The trust manager this client uses: exactly what {@code ca} issued, EC certificates included. */
    public static X509TrustManager trustManager(X509Certificate ca) {
        return new CaTrustManager(ca);
    }

    /** Opens a request stream. */
    public RawH3Stream openStream() throws IOException {
        return new RawH3Stream(h3.createBidirectionalStream());
    }

    /** The server's SETTINGS value, once its control stream delivered them. */
    public java.util.Optional<Long> peerSetting(long id) {
        return h3.getPeerSettingsParameter(id);
    }

    /** Sends one QUIC DATAGRAM frame with exactly these bytes. */
    public void sendDatagram(byte[] payload) {
        quic.sendDatagram(payload);
    }

    /** Largest QUIC DATAGRAM payload the connection can send. */
    public int maxDatagramSize() {
        return quic.maxDatagramDataSize();
    }

    /** Routes received QUIC DATAGRAMs whose quarter stream ID is {@code quarterStreamId}. */
    void routeDatagrams(long quarterStreamId, Consumer<byte[]> route) {
        datagramRoutes.put(quarterStreamId, route);
    }

    /** Receives QUIC DATAGRAMs no flow claimed. */
    public void onOtherDatagrams(Consumer<byte[]> handler) {
        otherDatagrams = handler;
    }

    /** Completes when the connection ends, with how it ended (e.g. the server's application error code). */
    public CompletableFuture<ConnectionTerminatedEvent> terminated() {
        return terminated;
    }

    private void onDatagram(byte[] datagram) {
        long quarter = quarterStreamId(datagram);
        Consumer<byte[]> route = quarter < 0 ? null : datagramRoutes.get(quarter);
        (route != null ? route : otherDatagrams).accept(datagram);
    }

    private static long quarterStreamId(byte[] d) {
        if (d.length == 0) return -1;
        int len = 1 << ((d[0] & 0xff) >>> 6);
        if (d.length < len) return -1;
        long v = d[0] & 0x3f;
        for (int i = 1; i < len; i++) v = (v << 8) | (d[i] & 0xff);
        return v;
    }

    @Override
    public void close() {
        quic.close();
    }

    /**
     * Trusts exactly what {@code ca} issued. Kwik hands EC server certificates to a trust manager with an "RSA"
     * authType, which the JDK's PKIX trust manager refuses, so the chain is checked here without the authType.
     */
    private record CaTrustManager(X509Certificate ca) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            CertificateIdentities.verifyChain(chain, ca);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {ca};
        }
    }

    /**
     * Works around a race in Kwik 0.10.8's TLS engine (agent15 3.1), which stalls about one handshake in 100 against
     * a fast server. {@code TlsClientEngineImpl.startHandshake()} hands the ClientHello to Kwik's sender thread and
     * only then sets {@code status = WaitServerHello}; {@code received(ServerHello)} silently returns unless the
     * status is already {@code WaitServerHello}. On loopback the listener answers in 1-2 ms, so when the connecting
     * thread is descheduled in that window, the receiver thread hands the ServerHello to an engine still in
     * {@code Start}: it is dropped, its CRYPTO bytes count as delivered (the server's retransmissions are
     * duplicates), Handshake keys are never derived, and connect() times out while the listener keeps retransmitting
     * its Handshake flight. (Kwik log: "-< CryptoStream[I|ServerHello]" then "Missing keys for encryption level
     * Handshake" until the timeout; delaying that window by 30 ms stalls 19 handshakes in 20.) The later agent15
     * releases set the status after sending too, throwing instead of returning.
     *
     * <p>The gate sits in the client's socket: a datagram received while the engine is still in {@code Start} is
     * held until the connecting thread has set {@code WaitServerHello}, which it does microseconds after the send,
     * so the hold is normally empty. It reads Kwik's private state because Kwik has no hook there; if a Kwik
     * upgrade renames it, the gate fails loudly rather than letting the stall come back.
     */
    private static final class ServerHelloGate implements DatagramSocketFactory {
        private final long timeoutNanos;
        private volatile Object engine;
        private volatile boolean open;

        ServerHelloGate(Duration timeout) {
            this.timeoutNanos = timeout.toNanos();
        }

        @Override
        public DatagramSocket createSocket(InetAddress destination) throws SocketException {
            return new DatagramSocket() {
                @Override
                public void receive(DatagramPacket packet) throws IOException {
                    super.receive(packet);
                    if (!open) awaitServerHelloExpected();
                }
            };
        }

        /** Called after build() and before connect(): Kwik's receiver thread starts in connect(). */
        void watch(QuicClientConnection quic) {
            engine = field(quic, "tlsEngine");
        }

        private void awaitServerHelloExpected() throws IOException {
            long deadline = System.nanoTime() + timeoutNanos;
            while (((Enum<?>) field(engine, "status")).name().equals("Start")) {
                if (System.nanoTime() - deadline > 0) {
                    throw new SocketTimeoutException("Kwik's TLS engine never sent its ClientHello");
                }
                Thread.yield(); // on a 2-CPU box, let the connecting thread run
            }
            open = true;
        }

        private static Object field(Object owner, String name) {
            for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
                try {
                    Field f = c.getDeclaredField(name);
                    f.setAccessible(true);
                    return f.get(owner);
                } catch (NoSuchFieldException e) {
                    // declared further up
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
            throw new IllegalStateException("Kwik has no " + owner.getClass().getName() + "." + name
                    + " any more: re-check the ServerHello race ServerHelloGate works around");
        }
    }

    /**
     * Works around an assertion in Kwik 0.10.8 that is false on loopback and, under surefire's {@code -ea}, kills the
     * connection. {@code LossDetector.detectLostPackets()} computes its time threshold as 9/8 of the larger of the
     * smoothed and latest RTT, both in whole milliseconds, and asserts it is positive; on loopback both are often 0 ms
     * (RFC 9002 §6.1.2 floors the threshold at kGranularity, Kwik does not). The AssertionError is thrown on Kwik's
     * receiver thread while it processes an ACK and ends that thread: the connection silently stops receiving, and a
     * request already answered by the listener never sees its response. (Seen: 6 GETs in 500 on the handshake soak
     * without a response head, each matching one "Exception in thread "receiver-loop" java.lang.AssertionError at
     * LossDetector.detectLostPackets(LossDetector.java:177)"; the listener had sent and flushed the response.)
     *
     * <p>That one class runs as it does in production, without assertions (a zero threshold only declares losses
     * early, which costs a retransmission); every other Kwik assertion stays on. The status is fixed when the class
     * is initialised, so if something initialised it first this fails loudly rather than let the stall come back.
     */
    private static final class LossDetectorAssertion {
        private static final String LOSS_DETECTOR = "tech.kwik.core.recovery.LossDetector";

        static void disable() {
            ClassLoader loader = QuicClientConnection.class.getClassLoader();
            loader.setClassAssertionStatus(LOSS_DETECTOR, false);
            try {
                Field disabled = Class.forName(LOSS_DETECTOR, true, loader).getDeclaredField("$assertionsDisabled");
                disabled.setAccessible(true);
                if (!disabled.getBoolean(null)) {
                    throw new IllegalStateException(LOSS_DETECTOR + " was initialised with assertions on before "
                            + "KwikH3Connection: its zero-RTT assertion can kill Kwik's receiver thread on loopback");
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Kwik has no " + LOSS_DETECTOR + " any more: re-check the "
                        + "loss-delay assertion LossDetectorAssertion works around", e);
            } catch (NoSuchFieldException e) {
                // The class asserts nothing any more: nothing to work around.
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
