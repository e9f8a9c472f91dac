package io.acip.gateway.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.gateway.GatewayMetrics;
import io.acip.gateway.demo.UdpEchoAgent;
import io.acip.gateway.egress.Cidr;
import io.acip.gateway.egress.EgressPolicy;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.ProblemDocument;
import io.acip.node.NodeStats;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.PortUnreachableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CONNECT-UDP to targets that are not skills: resolved first (a fake name server on loopback), checked against the
 * egress policy, then one connected socket per flow. Driven through {@link UdpRelay}, the stage
 * {@code GatewayHandler.onConnectUdp} hands such targets to.
 */
class DirectFlowTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    static FakeDnsServer dns;
    static UdpEchoAgent echo;
    static GatewayMetrics metrics = new GatewayMetrics(new NodeStats());
    /** Direct UDP on, 127.0.0.0/8 explicitly allowed, names from the fake server with a short timeout. */
    static UdpRelay allowing;
    /** Direct UDP on, no range allowed: the defaults refuse loopback. */
    static UdpRelay defaults;

    @BeforeAll
    static void start() throws Exception {
        dns = new FakeDnsServer().answer("echo.example", "127.0.0.1").answer("inward.example", "10.1.2.3")
                .fail("missing.example", DnsResponseCode.NXDOMAIN).fail("broken.example", DnsResponseCode.SERVFAIL);
        echo = UdpEchoAgent.start(InetAddress.getLoopbackAddress(), 0, false);
        UdpSettings settings = new UdpSettings(List.of(dns.address()), Duration.ofMillis(300), Duration.ofSeconds(30),
                UdpSettings.defaults().maxDgramPayload());
        allowing = new UdpRelay(settings, new EgressPolicy(true, List.of(Cidr.parse("127.0.0.0/8"))), true, metrics);
        defaults = new UdpRelay(settings, new EgressPolicy(true, List.of()), true, metrics);
    }

    @AfterAll
    static void stop() {
        allowing.close();
        defaults.close();
        echo.close();
        dns.close();
    }

    private static TestUdpFlow open(UdpRelay relay, String host, int port) {
        TestUdpFlow flow = new TestUdpFlow(host, port);
        relay.direct(flow);
        return flow;
    }

    private static void roundTrips(TestUdpFlow flow, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            byte[] p = ("datagram " + i + " ").repeat(1 + i % 50).getBytes(StandardCharsets.US_ASCII);
            flow.agentSends(p);
            assertArrayEquals(p, flow.receive(WAIT), "datagram " + i);
        }
    }

    @Test
    void anAllowedLoopbackTargetGetsItsOwnSocket() throws Exception {
        TestUdpFlow flow = open(allowing, "127.0.0.1", echo.address().getPort());
        byte[] early = "before the answer".getBytes(StandardCharsets.US_ASCII);
        flow.agentSends(early);
        assertTrue(flow.awaitAccepted());
        assertArrayEquals(early, flow.receive(WAIT));
        roundTrips(flow, 100);
        flow.agentCloses();
    }

    @Test
    void aNameIsResolvedBeforeTheAnswer() throws Exception {
        TestUdpFlow flow = open(allowing, "echo.example", echo.address().getPort());
        assertTrue(flow.awaitAccepted());
        roundTrips(flow, 10);
        flow.agentCloses();
    }

    @Test
    void loopbackIsRefusedByDefault() throws Exception {
        long accepted = metrics.get("gateway.udp.flow.accepted");
        HttpFailure f = open(defaults, "127.0.0.1", echo.address().getPort()).awaitRefused();
        assertEquals(403, f.status());
        assertEquals(ProxyErrorType.DESTINATION_IP_PROHIBITED, f.error());
        assertTrue(f.detail().contains("loopback"), f.detail());
        assertEquals(accepted, metrics.get("gateway.udp.flow.accepted"), "no socket for a refused target");
    }

    /** The IPv6 forms that wrap an IPv4 address are judged by it (NAT64, 6to4, Teredo's inverted client). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"64:ff9b::7f00:1", "2002:7f00:1::1",
        "2001:0:808:808::80ff:fffe", "::ffff:0:7f00:1", "fec0::1"})
    void ipv6FormsOfLoopbackAreRefused(String target) throws Exception {
        HttpFailure f = open(defaults, target, echo.address().getPort()).awaitRefused();
        assertEquals(403, f.status());
        assertEquals(ProxyErrorType.DESTINATION_IP_PROHIBITED, f.error());
    }

    @Test
    void aNameThatResolvesInwardIsRefused() throws Exception {
        HttpFailure f = open(allowing, "inward.example", 53).awaitRefused();
        assertEquals(403, f.status());
        assertEquals(ProxyErrorType.DESTINATION_IP_PROHIBITED, f.error());
        assertTrue(f.detail().contains("10.1.2.3"), f.detail());
    }

    @Test
    void directUdpOffRefusesEveryTarget() throws Exception {
        try (UdpRelay off = new UdpRelay(UdpSettings.defaults(), new EgressPolicy(true, List.of()), false, metrics)) {
            HttpFailure f = open(off, "192.0.2.1", 443).awaitRefused();
            assertEquals(403, f.status());
            assertEquals(ProxyErrorType.DESTINATION_IP_PROHIBITED, f.error());
            assertTrue(f.detail().contains("direct UDP egress is disabled"), f.detail());
        }
        try (UdpRelay none = new UdpRelay(UdpSettings.defaults(), EgressPolicy.none(), true, metrics)) {
            assertEquals(403, open(none, "192.0.2.1", 443).awaitRefused().status());
        }
    }

    @Test
    void nxdomainIsADnsErrorWithItsRcode() throws Exception {
        HttpFailure f = open(allowing, "missing.example", 443).awaitRefused();
        assertEquals(502, f.status());
        assertEquals(ProxyErrorType.DNS_ERROR, f.error());
        assertEquals("NXDOMAIN", f.parameters().get("rcode"));
        assertTrue(ProblemDocument.proxyStatus("acip-edge", f).startsWith("acip-edge; error=dns_error; rcode=\"NXDOMAIN\""),
                ProblemDocument.proxyStatus("acip-edge", f));
    }

    @Test
    void servfailIsADnsErrorWithItsRcode() throws Exception {
        HttpFailure f = open(allowing, "broken.example", 443).awaitRefused();
        assertEquals(502, f.status());
        assertEquals(ProxyErrorType.DNS_ERROR, f.error());
        assertEquals("SERVFAIL", f.parameters().get("rcode"));
    }

    @Test
    void silenceIsADnsTimeout() throws Exception {
        long started = System.nanoTime();
        HttpFailure f = open(allowing, "silent.example", 443).awaitRefused();
        assertEquals(504, f.status());
        assertEquals(ProxyErrorType.DNS_TIMEOUT, f.error());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0);
    }

    @Test
    void notAHostNameIsABadRequest() throws Exception {
        HttpFailure f = open(allowing, "bad name!", 443).awaitRefused();
        assertEquals(400, f.status());
        assertEquals(ProxyErrorType.HTTP_REQUEST_ERROR, f.error());
    }

    @Test
    void icmpPortUnreachableEndsTheFlow() throws Exception {
        int closed;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        TestUdpFlow flow = open(allowing, "127.0.0.1", closed);
        assertTrue(flow.awaitAccepted());
        flow.agentSends("anyone there?".getBytes(StandardCharsets.US_ASCII));
        Optional<Throwable> cause = flow.awaitClosed(WAIT);
        assertTrue(cause.isPresent());
        assertInstanceOf(PortUnreachableException.class, cause.get());
        assertTrue(metrics.get("gateway.udp.flow.closed.unreachable") >= 1);
    }

    @Test
    void anIdleSocketEndsTheFlowCleanly() throws Exception {
        UdpSettings quick = new UdpSettings(List.of(dns.address()), Duration.ofMillis(300), Duration.ofMillis(300),
                1000);
        try (UdpRelay relay = new UdpRelay(quick, new EgressPolicy(true, List.of(Cidr.parse("127.0.0.0/8"))), true,
                metrics)) {
            TestUdpFlow flow = open(relay, "127.0.0.1", echo.address().getPort());
            assertTrue(flow.awaitAccepted());
            assertEquals(Optional.empty(), flow.awaitClosed(WAIT));
        }
    }
}
