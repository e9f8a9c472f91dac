package io.acip.gateway.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.bhttp.Fields;
import io.acip.ingress.masque.Http1MasqueClient;
import io.acip.ingress.masque.Http2MasqueClient;
import io.acip.ingress.masque.Http3MasqueClient;
import io.acip.ingress.masque.MasqueClient;
import io.acip.tls.FabricCa;
import io.netty.handler.codec.dns.DnsResponseCode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CONNECT-UDP end to end, one body per case run over HTTP/1.1 (Upgrade, cleartext), HTTP/2 (extended CONNECT over
 * TLS) and HTTP/3 (extended CONNECT over QUIC, UDP payloads in QUIC DATAGRAMs), each with an independent client, to
 * an edge gateway of a three-node fabric: a skill reached as a datagram-mode ACIP session, a direct target allowed
 * by policy, and the refusals an agent must be able to tell apart.
 */
class MasqueEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TEMPLATE = "/.well-known/masque/udp/%s/%s/";

    @TempDir
    static Path dir;
    static FakeDnsServer dns;
    static UdpFabric fabric;
    static X509Holder ca;

    record X509Holder(java.security.cert.X509Certificate certificate, KeyStore trustStore) {
    }

    @BeforeAll
    static void start() throws Exception {
        dns = new FakeDnsServer().answer("echo.example", "127.0.0.1").fail("missing.example", DnsResponseCode.NXDOMAIN);
        fabric = new UdpFabric(dir, dns);
        java.security.cert.X509Certificate cert = FabricCa.load(dir.resolve("ca")).certificate();
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("fabric", cert);
        ca = new X509Holder(cert, store);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fabric != null) fabric.close();
        if (dns != null) dns.close();
    }

    static Stream<String> versions() {
        return Stream.of("HTTP/1.1", "HTTP/2", "HTTP/3");
    }

    private static MasqueClient client(String version) throws Exception {
        int[] ports = fabric.edge.httpPorts();
        return switch (version) {
            case "HTTP/1.1" -> Http1MasqueClient.cleartext(new InetSocketAddress("127.0.0.1", ports[0]));
            case "HTTP/2" -> Http2MasqueClient.tls(new InetSocketAddress("127.0.0.1", ports[1]), ca.trustStore());
            default -> Http3MasqueClient.connect(new InetSocketAddress("127.0.0.1", ports[1]), ca.certificate());
        };
    }

    private static int success(String version) {
        return version.equals("HTTP/1.1") ? 101 : 200;
    }

    private static String path(String host, Object port) {
        return String.format(TEMPLATE, host, port);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends each payload and expects it back, in order (an echo over loopback loses nothing at this rate). */
    private static void echoes(MasqueClient.Flow flow, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            byte[] payload = bytes("datagram " + i + " " + "x".repeat(i * 7 % 1100));
            flow.send(payload);
            assertArrayEquals(payload, flow.receive(WAIT), "echo of datagram " + i);
        }
    }

    private static String proxyStatus(MasqueClient.Flow flow) {
        return flow.headers().first("proxy-status").orElse("");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("versions")
    void aSkillHostIsADatagramSessionAcrossTheFabric(String version) throws Exception {
        long before = fabric.far.metrics().get("gateway.udp.far.datagram.to_agent");
        try (MasqueClient client = client(version);
             MasqueClient.Flow flow = client.open("localhost", path("udp-echo.test.acip", 7), WAIT)) {
            assertEquals(success(version), flow.status());
            assertEquals("?1", flow.headers().first("capsule-protocol").orElse(""));
            echoes(flow, 40);
            flow.sendCapsule(0x2b, bytes("an unknown capsule type is skipped"));
            echoes(flow, 1);
        }
        assertTrue(fabric.far.metrics().get("gateway.udp.far.datagram.to_agent") - before >= 41,
                "the payloads crossed the fabric to the far gateway's agent");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("versions")
    void aDirectTargetTheEgressPolicyAllowsIsServedOverOneUdpSocket(String version) throws Exception {
        int echoPort = fabric.echo.address().getPort();
        try (MasqueClient client = client(version)) {
            for (String host : List.of("127.0.0.1", "echo.example")) { // a literal, and a name through the resolver
                try (MasqueClient.Flow flow = client.open("localhost", path(host, echoPort), WAIT)) {
                    assertEquals(success(version), flow.status(), host);
                    echoes(flow, 5);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("versions")
    void refusalsCarryTheRfcStatusAndProxyStatus(String version) throws Exception {
        try (MasqueClient client = client(version)) {
            record Case(String host, Object port, boolean capsuleProtocol, int status, String proxyStatus) {
            }
            for (Case c : List.of(
                    new Case("10.1.2.3", 53, true, 403, "error=destination_ip_prohibited"),
                    new Case("%3A%3A1", 53, true, 403, "error=destination_ip_prohibited"), // [::1]: outside the allow list
                    new Case("missing.example", 53, true, 502, "error=dns_error; rcode=\"NXDOMAIN\""),
                    new Case("127.0.0.1", 0, true, 400, "error=http_request_error"),
                    new Case("127.0.0.1", 65536, true, 400, "error=http_request_error"),
                    new Case("", 53, true, 400, "error=http_request_error"),
                    new Case("udp-echo.test.acip", 7, false, 400, "error=http_request_error"))) {
                try (MasqueClient.Flow flow = client.open("localhost", path(c.host(), c.port()), Fields.EMPTY,
                        c.capsuleProtocol(), WAIT)) {
                    assertEquals(c.status(), flow.status(), c.toString());
                    assertTrue(proxyStatus(flow).startsWith("acip-edge; " + c.proxyStatus()),
                            c + ": " + proxyStatus(flow));
                    assertTrue(new String(flow.body(), StandardCharsets.UTF_8).contains("\"status\":" + c.status()),
                            c + ": a problem document");
                }
            }
        }
    }
}
