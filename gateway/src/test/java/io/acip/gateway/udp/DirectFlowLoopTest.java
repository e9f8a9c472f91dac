package io.acip.gateway.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.acip.gateway.GatewayMetrics;
import io.acip.gateway.demo.UdpEchoAgent;
import io.acip.gateway.egress.Cidr;
import io.acip.gateway.egress.EgressPolicy;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.DatagramTransport;
import io.acip.ingress.Exchange;
import io.acip.ingress.ForwardingUdpFlow;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.TunnelDecision;
import io.acip.ingress.UdpFlow;
import io.acip.ingress.UdpFlowListener;
import io.acip.ingress.jetty.IngressConfig;
import io.acip.ingress.jetty.IngressServer;
import io.acip.ingress.masque.Http1MasqueClient;
import io.acip.ingress.masque.Http2MasqueClient;
import io.acip.ingress.masque.Http3MasqueClient;
import io.acip.ingress.masque.MasqueClient;
import io.acip.node.NodeStats;
import io.acip.tls.FabricCa;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Errors;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where a direct flow's socket lives, and that both transports carry real CONNECT-UDP exchanges: over HTTP/3 the
 * socket joins the QUIC connection's own event loop, so the listener's callbacks, the socket's accept and its sends
 * to the agent all run on that one thread; over HTTP/1.1 and HTTP/2 (Jetty's pool) it lives on the relay's loop.
 * Each case runs on epoll (where it loads) and on NIO, listener and relay alike, through real clients.
 */
@Timeout(60)
class DirectFlowLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final FabricCa CA = FabricCa.generate("acip-loop-test-ca");

    private final GatewayMetrics metrics = new GatewayMetrics(new NodeStats());
    private final Set<ObservedFlow> flows = ConcurrentHashMap.newKeySet();
    private UdpEchoAgent echo;
    private UdpRelay relay;
    private IngressServer ingress;

    static Stream<Arguments> cases() {
        return Stream.of(DatagramTransport.values()).flatMap(t -> Stream.of("HTTP/1.1", "HTTP/2", "HTTP/3")
                .map(v -> Arguments.of(t, v)));
    }

    private void start(DatagramTransport transport) throws Exception {
        assumeTrue(transport == DatagramTransport.NIO || Epoll.isAvailable(), "epoll does not load here");
        echo = UdpEchoAgent.start(InetAddress.getLoopbackAddress(), 0, false);
        UdpSettings settings = new UdpSettings(List.of(), Duration.ofSeconds(1), Duration.ofMinutes(2),
                UdpSettings.defaults().maxDgramPayload(), transport);
        relay = new UdpRelay(settings, new EgressPolicy(true, List.of(Cidr.parse("127.0.0.0/8"))), true, metrics);
        IngressConfig config = IngressConfig.builder("acip-test")
                .cleartext(new InetSocketAddress("127.0.0.1", 0))
                .tls(new InetSocketAddress("127.0.0.1", 0), CA.issueServer(List.of("localhost"),
                        List.of(InetAddress.getLoopbackAddress()), Duration.ofDays(1)))
                .http3(true).datagramTransport(transport).stopTimeout(Duration.ofSeconds(5)).build();
        ingress = new IngressServer(config, new Handler());
        ingress.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (ingress != null) ingress.stop();
        if (relay != null) relay.close();
        if (echo != null) echo.close();
    }

    private MasqueClient client(String version) throws Exception {
        return switch (version) {
            case "HTTP/1.1" -> Http1MasqueClient.cleartext(new InetSocketAddress("127.0.0.1", ingress.cleartextPort()));
            case "HTTP/2" -> {
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                trust.setCertificateEntry("ca", CA.certificate());
                yield Http2MasqueClient.tls(new InetSocketAddress("127.0.0.1", ingress.tlsPort()), trust);
            }
            default -> Http3MasqueClient.connect(new InetSocketAddress("127.0.0.1", ingress.http3Port()),
                    CA.certificate());
        };
    }

    private static String path(int port) {
        return "/.well-known/masque/udp/127.0.0.1/" + port + "/";
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void theSocketLivesOnTheLoopThatServesTheFlow(DatagramTransport transport, String version) throws Exception {
        start(transport);
        try (MasqueClient client = client(version);
             MasqueClient.Flow flow = client.open("localhost", path(echo.address().getPort()), WAIT)) {
            assertEquals(version.equals("HTTP/1.1") ? 101 : 200, flow.status());
            for (int i = 0; i < 50; i++) { // one at a time, 1 to 1079 bytes (Kwik sends QUIC DATAGRAMs up to ~1100)
                byte[] p = payload(i, 1 + i * 22);
                flow.send(p);
                assertArrayEquals(p, flow.receive(WAIT), "payload " + i);
            }
            Set<String> burst = new HashSet<>(); // several per loop turn: flushed together each way
            for (int i = 0; i < 16; i++) {
                byte[] p = payload(1000 + i, 1000);
                burst.add(new String(p, StandardCharsets.ISO_8859_1));
                flow.send(p);
            }
            for (int i = 0; i < 16; i++) {
                byte[] p = flow.receive(WAIT);
                assertTrue(p != null && burst.remove(new String(p, StandardCharsets.ISO_8859_1)), "burst echo " + i);
            }
        }
        ObservedFlow observed = flows.iterator().next();
        Thread socketLoop = observed.acceptedOn.get(10, TimeUnit.SECONDS);
        assertEquals(Set.of(socketLoop), observed.sentOn, "the target's payloads reach the flow on its socket's loop");
        if (version.equals("HTTP/3")) {
            EventLoop quicLoop = observed.eventLoop().orElseThrow();
            assertEquals(Optional.of(transport), DatagramTransport.of(quicLoop));
            assertTrue(observed.acceptedInFlowLoop, "accepted on the QUIC connection's loop: " + socketLoop);
            assertEquals(observed.handedOverOn, socketLoop, "the connection's loop handed the flow over");
            assertEquals(Set.of(socketLoop), observed.deliveredOn, "the agent's payloads arrive on the same loop");
        } else {
            assertEquals(Optional.empty(), observed.eventLoop());
            assertTrue(socketLoop.getName().startsWith("acip-udp-relay"), socketLoop.getName());
            assertEquals(Optional.of(transport), DatagramTransport.of(relay.loopFor(observed)));
        }
    }

    /** An ICMP port unreachable ends the flow whichever transport reports it (epoll's sendmmsg says ECONNREFUSED). */
    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void icmpPortUnreachableEndsTheFlow(DatagramTransport transport, String version) throws Exception {
        start(transport);
        int closed;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (MasqueClient client = client(version);
             MasqueClient.Flow flow = client.open("localhost", path(closed), WAIT)) {
            for (int i = 0; i < 3; i++) { // a flush of several, then one alone
                try {
                    flow.send(payload(i, 100));
                } catch (java.util.concurrent.ExecutionException | java.io.IOException endedAlready) {
                    break; // the first unreachable may end the flow before the last send (an HTTP/2 stream reset)
                }
            }
            assertTrue(flow.awaitClosed(WAIT), "the flow ended");
        }
        assertEquals(1, metrics.get("gateway.udp.flow.closed.unreachable"));
        assertEquals(0, metrics.get("gateway.udp.flow.closed.socket_error"));
    }

    /** Epoll's reads turn ECONNREFUSED into PortUnreachableException; its writes (sendmmsg) leave it as it is. */
    @Test
    void econnrefusedFromAWriteIsPortUnreachable() {
        assumeTrue(Epoll.isAvailable(), "epoll does not load here");
        assertTrue(UdpRelay.portUnreachable(new PortUnreachableException("nio")));
        assertTrue(UdpRelay.portUnreachable(Errors.newIOException("sendmmsg", Errors.ERROR_ECONNREFUSED_NEGATIVE)));
        assertFalse(UdpRelay.portUnreachable(Errors.newIOException("sendmmsg", Errors.ERROR_ENETUNREACH_NEGATIVE)));
    }

    private static byte[] payload(int seq, int size) {
        byte[] p = new byte[size];
        byte[] tag = ("#" + seq + ";").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) p[i] = i < tag.length ? tag[i] : (byte) ('a' + (seq + i) % 26);
        return p;
    }

    /** Hands every CONNECT-UDP to the relay as a direct flow, watched. */
    private final class Handler implements IngressHandler {
        @Override
        public void onExchange(Exchange exchange) {
            throw new UnsupportedOperationException("no HTTP exchanges in this test");
        }

        @Override
        public TunnelDecision onConnect(ConnectRequest request) {
            throw new UnsupportedOperationException("no CONNECT in this test");
        }

        @Override
        public void onTunnel(io.acip.ingress.Tunnel tunnel) {
            throw new UnsupportedOperationException("no CONNECT in this test");
        }

        @Override
        public void onConnectUdp(UdpFlow flow) {
            ObservedFlow observed = new ObservedFlow(flow);
            flows.add(observed);
            relay.direct(observed);
        }
    }

    /** Records on which threads the flow is handed over, accepted, fed by the agent and sent to the agent. */
    private static final class ObservedFlow extends ForwardingUdpFlow {
        final Thread handedOverOn = Thread.currentThread();
        final CompletableFuture<Thread> acceptedOn = new CompletableFuture<>();
        final Set<Thread> deliveredOn = ConcurrentHashMap.newKeySet();
        final Set<Thread> sentOn = ConcurrentHashMap.newKeySet();
        volatile boolean acceptedInFlowLoop;

        ObservedFlow(UdpFlow flow) {
            super(flow);
        }

        @Override
        public void accept(UdpFlowListener listener) {
            acceptedInFlowLoop = flow.eventLoop().map(EventLoop::inEventLoop).orElse(false);
            acceptedOn.complete(Thread.currentThread()); // DirectFlow accepts from its socket's connect, on its loop
            flow.accept(new UdpFlowListener() {
                @Override
                public void onDatagram(ByteBuffer payload) {
                    deliveredOn.add(Thread.currentThread());
                    listener.onDatagram(payload);
                }

                @Override
                public void onClose(Throwable cause) {
                    listener.onClose(cause);
                }
            });
        }

        @Override
        public boolean send(ByteBuffer payload) {
            sentOn.add(Thread.currentThread());
            return flow.send(payload);
        }
    }
}
