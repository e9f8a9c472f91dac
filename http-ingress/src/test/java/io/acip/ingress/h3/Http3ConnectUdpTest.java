package io.acip.ingress.h3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.bhttp.Fields;
import io.acip.ingress.UdpFlow;
import io.acip.ingress.masque.Http3MasqueClient;
import io.acip.ingress.masque.KwikH3Connection;
import io.acip.ingress.masque.MasqueClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tech.kwik.core.ConnectionTerminatedEvent;

/** CONNECT-UDP over HTTP/3 (RFC 9298, RFC 9220) with HTTP Datagrams (RFC 9297), from Kwik + Flupke. */
class Http3ConnectUdpTest extends Http3ListenerFixture {
    static final String PATH = "/.well-known/masque/udp/%s/%s/";
    Http3MasqueClient client;

    @BeforeAll
    void connectClient() throws Exception {
        client = Http3MasqueClient.connect(address(), H3TestPki.CA.certificate());
    }

    @AfterAll
    void closeClient() {
        client.close();
    }

    static String path(String host, Object port) {
        return String.format(PATH, host, port);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A DATAGRAM capsule's value: context ID 0, then the payload. */
    static byte[] udpCapsuleValue(byte[] payload) {
        byte[] v = new byte[payload.length + 1];
        System.arraycopy(payload, 0, v, 1, payload.length);
        return v;
    }

    @Test
    void theListenerRunsOnItsConfiguredTransport() {
        assertEquals(listenerConfig().datagramTransport(), listener.transport());
    }

    @Test
    void acceptedFlowAnswers200WithCapsuleProtocol() throws Exception {
        try (MasqueClient.Flow flow = client.open(authority(), path("192.0.2.1", 443), WAIT)) {
            assertEquals(200, flow.status());
            assertEquals("?1", flow.headers().first("capsule-protocol").orElseThrow());
        }
    }

    @Test
    void capsuleDatagramsAreEchoed() throws Exception {
        try (MasqueClient.Flow flow = client.open(authority(), path("192.0.2.1", 443), WAIT)) {
            flow.sendCapsule(0x00, udpCapsuleValue(bytes("by capsule")));
            assertArrayEquals(bytes("by capsule"), flow.receive(WAIT));
        }
    }

    @Test
    void capsuleSplitOverWritesIsReassembled() throws Exception {
        try (MasqueClient.Flow flow = client.open(authority(), path("192.0.2.1", 443), WAIT)) {
            byte[] capsule = {0x00, 0x04, 0x00, 'a', 'b', 'c'};
            flow.sendRaw(new byte[] {capsule[0], capsule[1]});
            flow.sendRaw(new byte[] {capsule[2], capsule[3]});
            flow.sendRaw(new byte[] {capsule[4], capsule[5]});
            assertArrayEquals(bytes("abc"), flow.receive(WAIT));
        }
    }

    @Test
    void quicDatagramsAreEchoedFullSize() throws Exception {
        try (MasqueClient.Flow flow = client.open(authority(), path("192.0.2.1", 443), WAIT)) {
            byte[] small = bytes("by datagram");
            flow.send(small);
            assertArrayEquals(small, flow.receive(WAIT));
            byte[] big = new byte[1200];
            for (int i = 0; i < big.length; i++) big[i] = (byte) i;
            flow.send(big);
            assertArrayEquals(big, flow.receive(WAIT), "a 1200-byte UDP payload must fit a QUIC DATAGRAM");
        }
    }

    @Test
    void listenerAdvertisesExtendedConnectAndDatagrams() throws Exception {
        client.open(authority(), path("192.0.2.1", 443), WAIT).close(); // SETTINGS have arrived by now
        assertEquals(1L, client.connection().peerSetting(0x08).orElseThrow());
        assertEquals(1L, client.connection().peerSetting(0x33).orElseThrow());
    }

    @Test
    void unknownCapsulesAreSkipped() throws Exception {
        long before = counters.get(CounterNames.UDP_CAPSULES_UNKNOWN);
        try (MasqueClient.Flow flow = client.open(authority(), path("192.0.2.1", 443), WAIT)) {
            flow.sendCapsule(0x2a2a, bytes("not for you"));
            flow.sendCapsule(0x00, udpCapsuleValue(bytes("after")));
            assertArrayEquals(bytes("after"), flow.receive(WAIT));
        }
        assertEquals(before + 1, counters.get(CounterNames.UDP_CAPSULES_UNKNOWN));
    }

    @Test
    void otherContextIdsAreDroppedAndCounted() throws Exception {
        long before = counters.get(CounterNames.UDP_DROPPED_CONTEXT_ID);
        try (MasqueClient.Flow flow = client.open(authority(), path("192.0.2.1", 443), WAIT)) {
            ((Http3MasqueClient.H3Flow) flow).sendWithContext(2, bytes("context 2"));
            flow.sendCapsule(0x00, new byte[] {0x04, 'x'}); // context 4 in a capsule
            flow.send(bytes("context 0"));
            assertArrayEquals(bytes("context 0"), flow.receive(WAIT));
            // Nothing of the other contexts comes back. Under load the test client may send its DATAGRAM twice (a
            // retransmitted packet), so a second "context 0" is no failure.
            for (byte[] more; (more = flow.receive(Duration.ofMillis(200))) != null; ) {
                assertArrayEquals(bytes("context 0"), more);
            }
        }
        assertEquals(before + 2, counters.get(CounterNames.UDP_DROPPED_CONTEXT_ID));
    }

    @Test
    void datagramsSentBeforeTheAnswerAreDeliveredAfterAccept() throws Exception {
        Http3MasqueClient.H3Flow flow = client.start(authority(), path("deferred.example", 53), Fields.EMPTY, true);
        flow.send(bytes("early datagram"));
        flow.sendCapsule(0x00, udpCapsuleValue(bytes("early capsule")));
        UdpFlow pending = handler.deferred.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(pending);
        assertEquals("deferred.example", pending.request().host());
        assertEquals("HTTP/3", pending.httpVersion());
        // Give both a moment to reach the listener while the answer is pending (they are held, not lost).
        awaitCounter(CounterNames.UDP_DATAGRAMS_FROM_AGENT, 0);
        handler.acceptEcho(pending);
        flow.awaitHead(WAIT);
        assertEquals(200, flow.status());
        java.util.Set<String> got = new java.util.HashSet<>();
        got.add(new String(flow.receive(WAIT), StandardCharsets.US_ASCII));
        got.add(new String(flow.receive(WAIT), StandardCharsets.US_ASCII));
        assertEquals(java.util.Set.of("early datagram", "early capsule"), got);
        flow.close();
    }

    @Test
    void missingCapsuleProtocolIs400() throws Exception {
        MasqueClient.Flow flow = client.open(authority(), path("192.0.2.1", 443), Fields.EMPTY, false, WAIT);
        assertEquals(400, flow.status());
        assertTrue(flow.headers().first("proxy-status").orElseThrow().contains("error=http_request_error"));
        assertTrue(new String(flow.body(), StandardCharsets.UTF_8).contains("Capsule-Protocol"));
    }

    @Test
    void falseCapsuleProtocolIs400() throws Exception {
        MasqueClient.Flow flow = client.open(authority(), path("192.0.2.1", 443),
                Fields.of("capsule-protocol", "?0"), false, WAIT);
        assertEquals(400, flow.status());
    }

    @Test
    void refusedTargetCarriesTheHandlersFailure() throws Exception {
        long before = counters.get(CounterNames.UDP_FLOWS_REFUSED);
        MasqueClient.Flow flow = client.open(authority(), path("blocked.example", 53), WAIT);
        assertEquals(403, flow.status());
        assertTrue(flow.headers().first("proxy-status").orElseThrow()
                .startsWith(PROXY_NAME + "; error=destination_ip_prohibited"));
        assertEquals("application/problem+json", flow.headers().first("content-type").orElseThrow());
        assertTrue(new String(flow.body(), StandardCharsets.UTF_8).contains("\"status\":403"));
        assertEquals(before + 1, counters.get(CounterNames.UDP_FLOWS_REFUSED));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "IPv4 literal | 192.0.2.1 | 443 | 200 | 192.0.2.1",
        "IPv6 literal, colons escaped (RFC 9298 §2) | 2001%3Adb8%3A%3A1 | 443 | 200 | 2001:db8::1",
        "DNS name | dns.example | 53 | 200 | dns.example",
        "empty host | '' | 443 | 400 |",
        "port 0 | 192.0.2.1 | 0 | 400 |",
        "port 65536 | 192.0.2.1 | 65536 | 400 |",
        "port not a number | 192.0.2.1 | https | 400 |",
    })
    void targetsAreCheckedAgainstTheTemplate(String rule, String host, String port, int status, String parsedHost)
            throws Exception {
        handler.flows.clear();
        MasqueClient.Flow flow = client.open(authority(), path(host, port), WAIT);
        assertEquals(status, flow.status(), rule);
        if (status == 200) {
            UdpFlow accepted = handler.flows.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(parsedHost, accepted.request().host());
            assertEquals(Integer.parseInt(port), accepted.request().port());
            assertEquals("connect-udp", accepted.request().protocol());
            flow.close();
        } else {
            assertTrue(flow.headers().first("proxy-status").orElseThrow().contains("error=http_request_error"));
        }
    }

    @Test
    void otherPathThanTheTemplateIs400() throws Exception {
        assertEquals(400, client.open(authority(), "/not/the/template", WAIT).status());
    }

    @Test
    void unknownProtocolIs501() throws Exception {
        try (KwikH3Connection c = connect()) {
            var s = c.openStream();
            s.headers(io.acip.ingress.masque.RawH3Stream.lines(":method", "CONNECT", ":protocol", "websocket",
                    ":scheme", "https", ":authority", authority(), ":path", "/chat"));
            assertEquals(501, s.responseHead(WAIT, null).status());
        }
    }

    @Test
    void agentFinEndsTheFlowCleanly() throws Exception {
        handler.closes.clear();
        MasqueClient.Flow flow = client.open(authority(), path("192.0.2.1", 443), WAIT);
        flow.close();
        assertEquals("clean", handler.closes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(flow.awaitClosed(WAIT), "the listener answers the agent's FIN with its own");
    }

    @Test
    void gatewayCloseEndsTheStream() throws Exception {
        handler.flows.clear();
        MasqueClient.Flow flow = client.open(authority(), path("192.0.2.1", 443), WAIT);
        UdpFlow accepted = handler.flows.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        accepted.close(null);
        assertTrue(flow.awaitClosed(WAIT));
        assertEquals(false, accepted.send(java.nio.ByteBuffer.wrap(bytes("too late"))));
    }

    @Test
    void oversizePayloadsAreDroppedAndCounted() throws Exception {
        handler.flows.clear();
        try (MasqueClient.Flow flow = client.open(authority(), path("192.0.2.1", 443), WAIT)) {
            UdpFlow accepted = handler.flows.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            int max = accepted.maxPayload();
            assertTrue(max >= 1200 && max < 65_000, "QUIC DATAGRAM room for a UDP payload: " + max);
            long before = counters.get(CounterNames.UDP_DROPPED_OVERSIZE);
            assertEquals(false, accepted.send(java.nio.ByteBuffer.allocate(max + 1)));
            assertEquals(before + 1, counters.get(CounterNames.UDP_DROPPED_OVERSIZE));
            assertTrue(accepted.send(java.nio.ByteBuffer.allocate(max)));
            assertEquals(max, flow.receive(WAIT).length);
        }
    }

    @Test
    void malformedCapsuleAbortsTheStream() throws Exception {
        long before = counters.get(CounterNames.UDP_CAPSULES_MALFORMED);
        MasqueClient.Flow flow = client.open(authority(), path("192.0.2.1", 443), WAIT);
        // A DATAGRAM capsule declaring a 4 MiB value: beyond any UDP payload.
        flow.sendRaw(new byte[] {0x00, (byte) 0x80, 0x40, 0, 0});
        assertTrue(flow.awaitClosed(WAIT));
        assertEquals(before + 1, counters.get(CounterNames.UDP_CAPSULES_MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // RFC 9297 §2.1: too short to parse a quarter stream ID, or above 2^60-1: H3_DATAGRAM_ERROR.
        "truncated quarter stream ID | C00000 | 51",
        "quarter stream ID above 2^60-1 | D000000000000000 | 51",
        // RFC 9297 §2.1: a stream the agent could not have opened under its limits: H3_ID_ERROR (0x108).
        "beyond the stream limits | 7FFF00 | 264",
    })
    void malformedQuarterStreamIdClosesTheConnection(String rule, String hex, long code) throws Exception {
        long before = counters.get(CounterNames.H3_DATAGRAM_ERRORS);
        KwikH3Connection c = connect();
        try {
            awaitPeerSettings(c);
            c.sendDatagram(java.util.HexFormat.of().parseHex(hex));
            ConnectionTerminatedEvent end;
            try {
                end = c.terminated().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError(rule + ": no close; counters " + counters.snapshot(), e);
            }
            assertTrue(end.closedByPeer(), rule);
            assertEquals(code, end.applicationErrorCode(), rule);
            assertEquals(before + 1, counters.get(CounterNames.H3_DATAGRAM_ERRORS));
        } finally {
            c.close();
        }
    }

    @Test
    void datagramForAClosedStreamIsDroppedAndCounted() throws Exception {
        MasqueClient.Flow flow = client.open(authority(), path("192.0.2.1", 443), WAIT);
        flow.close();
        assertTrue(flow.awaitClosed(WAIT));
        long before = counters.get(CounterNames.H3_DATAGRAMS_UNKNOWN_STREAM);
        flow.send(bytes("late"));
        awaitCounter(CounterNames.H3_DATAGRAMS_UNKNOWN_STREAM, before);
        assertTrue(counters.get(CounterNames.H3_DATAGRAMS_UNKNOWN_STREAM) > before);
    }

    /** Waits (bounded) until the listener's SETTINGS arrived: the connection is fully up both ways. */
    static void awaitPeerSettings(KwikH3Connection c) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (c.peerSetting(0x33).isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
    }

    /** Waits (bounded) for a counter to move past {@code above}. */
    void awaitCounter(String name, long above) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (counters.get(name) <= above && System.nanoTime() < deadline) Thread.sleep(10);
    }
}
