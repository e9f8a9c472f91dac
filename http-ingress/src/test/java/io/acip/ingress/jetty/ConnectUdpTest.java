package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.Capsule;
import io.acip.capsule.CodecException;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.masque.MasqueClient.Flow;
import io.acip.ingress.masque.PipeliningMasqueClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * CONNECT-UDP flows over HTTP/1.1 and HTTP/2, cleartext and TLS, one test body per rule (RFC 9298, RFC 9297):
 * datagrams both ways, what is dropped and counted, how flows end.
 */
@SuppressWarnings("try") // MasqueClient.close() throws Exception, as the fixed interface declares
class ConnectUdpTest extends UdpFixture {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void datagramsTravelBothWaysAsCapsules(Transport transport) throws Exception {
        long from = counter(UdpCounters.DATAGRAMS_FROM_AGENT);
        long to = counter(UdpCounters.DATAGRAMS_TO_AGENT);
        long accepted = counter(UdpCounters.FLOWS_ACCEPTED);
        try (PipeliningMasqueClient client = transport.client(server);
             Flow flow = client.open(authority(), path("192.0.2.7", 5353), TIMEOUT)) {
            assertEquals(transport.successStatus(), flow.status());
            assertEquals("?1", header(flow, "capsule-protocol"));
            if (transport.http1()) {
                assertEquals("connect-udp", header(flow, "upgrade"));
                assertEquals("upgrade", header(flow, "connection").toLowerCase(Locale.ROOT));
                assertNull(header(flow, "content-length"), "RFC 9110 §8.6: no Content-Length in a 1xx");
                assertNull(header(flow, "transfer-encoding"));
            } else {
                assertNull(header(flow, "content-length"), "RFC 8441: a 2xx to extended CONNECT has no content");
            }
            UdpEchoHandler.Accepted seen = handler.next();
            ConnectRequest request = seen.flow.request();
            assertEquals("192.0.2.7", request.host());
            assertEquals(5353, request.port());
            assertEquals("connect-udp", request.protocol());
            assertEquals("?1", request.headers().first("capsule-protocol").orElseThrow());
            assertEquals(transport.version(), seen.flow.httpVersion());
            assertEquals(65_527, seen.flow.maxPayload());

            List<byte[]> payloads = List.of(ascii("hello"), new byte[0], random(1200), random(65_527));
            for (byte[] payload : payloads) {
                flow.send(payload);
                assertArrayEquals(payload, flow.receive(TIMEOUT));
            }
            assertEquals(from + payloads.size(), counter(UdpCounters.DATAGRAMS_FROM_AGENT));
            assertEquals(to + payloads.size(), counter(UdpCounters.DATAGRAMS_TO_AGENT));
            assertEquals(accepted + 1, counter(UdpCounters.FLOWS_ACCEPTED));

            flow.close(); // the agent ends the flow cleanly
            assertEquals(Optional.empty(), seen.awaitClosed());
            assertTrue(flow.awaitClosed(TIMEOUT), "the proxy ended its side too");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void ipv6TargetsArePercentEncodedColons(Transport transport) throws Exception {
        try (PipeliningMasqueClient client = transport.client(server);
             Flow flow = client.open(authority(), path("2001%3Adb8%3A%3A1", 443), TIMEOUT)) {
            assertEquals(transport.successStatus(), flow.status());
            ConnectRequest request = handler.next().flow.request();
            assertEquals("2001:db8::1", request.host());
            assertEquals(443, request.port());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void port65535IsAPort(Transport transport) throws Exception {
        try (PipeliningMasqueClient client = transport.client(server);
             Flow flow = client.open(authority(), path("example.com", 65535), TIMEOUT)) {
            assertEquals(transport.successStatus(), flow.status());
            assertEquals(65535, handler.next().flow.request().port());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unknownCapsulesAreSkippedUnbuffered(Transport transport) throws Exception {
        long unknown = counter(UdpCounters.CAPSULES_UNKNOWN);
        try (PipeliningMasqueClient client = transport.client(server);
             Flow flow = client.open(authority(), path("192.0.2.7", 53), TIMEOUT)) {
            flow.sendCapsule(0x2a3b, ascii("an extension this proxy does not know"));
            flow.sendCapsule(0x17, new byte[200_000]); // far over the DATAGRAM bound: skipped as it passes
            flow.send(ascii("after"));
            assertArrayEquals(ascii("after"), flow.receive(TIMEOUT));
            assertEquals(unknown + 2, counter(UdpCounters.CAPSULES_UNKNOWN));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aCapsuleSplitAcrossWritesIsReassembled(Transport transport) throws Exception {
        try (PipeliningMasqueClient client = transport.client(server);
             Flow flow = client.open(authority(), path("192.0.2.7", 53), TIMEOUT)) {
            byte[] payload = random(3000);
            byte[] capsule = Capsule.datagram(io.acip.capsule.DatagramPayload.udp(ByteBuffer.wrap(payload)))
                    .encode().array();
            flow.sendRaw(Arrays.copyOfRange(capsule, 0, 1)); // the type alone
            flow.sendRaw(Arrays.copyOfRange(capsule, 1, 2)); // half the length varint
            flow.sendRaw(Arrays.copyOfRange(capsule, 2, 100));
            flow.sendRaw(Arrays.copyOfRange(capsule, 100, capsule.length));
            assertArrayEquals(payload, flow.receive(TIMEOUT));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void datagramsSentBeforeTheAnswerArriveAfterIt(Transport transport) throws Exception {
        long early = counter(UdpCounters.DROPPED_BEFORE_ACCEPT);
        List<byte[]> payloads = List.of(ascii("one"), ascii("two"), random(2000));
        try (PipeliningMasqueClient client = transport.client(server)) {
            CompletableFuture<Flow> response = client.openAhead(authority(), path("later.example", 53), payloads,
                    TIMEOUT);
            UdpEchoHandler.Accepted seen = handler.next(); // the request and its datagrams were sent
            assertFalse(response.isDone(), "answered before the handler accepted");
            handler.releaseLater();
            try (Flow flow = response.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                assertEquals(transport.successStatus(), flow.status());
                for (byte[] payload : payloads) {
                    assertArrayEquals(payload, seen.received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
                    assertArrayEquals(payload, flow.receive(TIMEOUT));
                }
            }
        }
        assertEquals(early, counter(UdpCounters.DROPPED_BEFORE_ACCEPT), "held by flow control, none dropped");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anAgentGoneBeforeALateAcceptStillEndsTheFlow(Transport transport) throws Exception {
        UdpEchoHandler.Accepted seen;
        try (PipeliningMasqueClient client = transport.client(server)) {
            client.openAhead(authority(), path("later.example", 53), List.of(), TIMEOUT);
            seen = handler.next();
        } // the agent's connection is gone before the handler answers
        handler.releaseLater();
        // The listener is told: at once when Jetty already saw the agent go, else when the answer finds the stream or
        // connection gone, at the latest when the flow's connection was not installed within the connect timeout
        // (the agent vanished between the handler's decision and the 101/200). Never left to leak.
        long start = System.nanoTime();
        seen.awaitClosed();
        assertTrue(System.nanoTime() - start < CONNECT_TIMEOUT.plusSeconds(2).toNanos(), "the flow was left open");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void otherContextIdsAreDroppedAndCounted(Transport transport) throws Exception {
        long dropped = counter(UdpCounters.DROPPED_CONTEXT_ID);
        try (PipeliningMasqueClient client = transport.client(server);
             Flow flow = client.open(authority(), path("192.0.2.7", 53), TIMEOUT)) {
            UdpEchoHandler.Accepted seen = handler.next();
            flow.sendCapsule(0x00, new byte[] {0x02, 'x', 'y'}); // DATAGRAM, context ID 2 (RFC 9298 §4)
            flow.sendCapsule(0x00, new byte[] {0x40, 0x40, 'z'}); // context ID 64, two-byte varint
            flow.send(ascii("ok"));
            assertArrayEquals(ascii("ok"), flow.receive(TIMEOUT));
            assertArrayEquals(ascii("ok"), seen.received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(seen.received.isEmpty(), "a datagram of another context reached the handler");
            assertEquals(dropped + 2, counter(UdpCounters.DROPPED_CONTEXT_ID));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFlowWithoutDatagramsIsClosedAfterTheIdleTimeout(Transport transport) throws Exception {
        long idle = counter(UdpCounters.FLOWS_IDLE_CLOSED);
        try (PipeliningMasqueClient client = transport.client(server);
             Flow flow = client.open(authority(), path("192.0.2.7", 53), TIMEOUT)) {
            UdpEchoHandler.Accepted seen = handler.next();
            flow.send(ascii("ping"));
            assertArrayEquals(ascii("ping"), flow.receive(TIMEOUT));
            long quietSince = System.nanoTime();
            assertTrue(flow.awaitClosed(TIMEOUT), "the idle flow was not closed");
            assertTrue(System.nanoTime() - quietSince >= UDP_IDLE.toNanos() / 2, "closed long before the timeout");
            assertInstanceOf(TimeoutException.class, seen.awaitClosed().orElseThrow());
            assertEquals(idle + 1, counter(UdpCounters.FLOWS_IDLE_CLOSED));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theHandlersCleanCloseFlushesFirst(Transport transport) throws Exception {
        try (PipeliningMasqueClient client = transport.client(server);
             Flow flow = client.open(authority(), path("quiet.example", 53), TIMEOUT)) {
            UdpEchoHandler.Accepted seen = handler.next();
            for (int i = 0; i < 20; i++) assertTrue(seen.flow.send(ByteBuffer.wrap(ascii("bye " + i))));
            seen.flow.close(null);
            assertFalse(seen.flow.send(ByteBuffer.wrap(ascii("too late"))));
            for (int i = 0; i < 20; i++) assertArrayEquals(ascii("bye " + i), flow.receive(TIMEOUT));
            assertTrue(flow.awaitClosed(TIMEOUT));
            assertFalse(seen.closed.isDone(), "the listener heard of a close the handler asked for");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theHandlersAbortEndsTheFlow(Transport transport) throws Exception {
        try (PipeliningMasqueClient client = transport.client(server);
             Flow flow = client.open(authority(), path("quiet.example", 53), TIMEOUT)) {
            UdpEchoHandler.Accepted seen = handler.next();
            seen.flow.close(new IOException("the ACIP session was reset"));
            assertTrue(flow.awaitClosed(TIMEOUT));
            assertFalse(seen.closed.isDone());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMalformedCapsuleAbortsTheFlow(Transport transport) throws Exception {
        long malformed = counter(UdpCounters.CAPSULES_MALFORMED);
        try (PipeliningMasqueClient client = transport.client(server);
             Flow flow = client.open(authority(), path("192.0.2.7", 53), TIMEOUT)) {
            UdpEchoHandler.Accepted seen = handler.next();
            // A DATAGRAM capsule declaring 128 KiB: over the bound, refused before any of it is buffered.
            flow.sendRaw(new byte[] {0x00, (byte) 0x80, 0x02, 0x00, 0x00, 0x00});
            assertTrue(flow.awaitClosed(TIMEOUT));
            assertInstanceOf(CodecException.class, seen.awaitClosed().orElseThrow());
            assertEquals(malformed + 1, counter(UdpCounters.CAPSULES_MALFORMED));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anEmptyDatagramCapsuleIsMalformed(Transport transport) throws Exception {
        long malformed = counter(UdpCounters.CAPSULES_MALFORMED);
        try (PipeliningMasqueClient client = transport.client(server);
             Flow flow = client.open(authority(), path("192.0.2.7", 53), TIMEOUT)) {
            UdpEchoHandler.Accepted seen = handler.next();
            flow.sendRaw(new byte[] {0x00, 0x00}); // RFC 9297 §3.5: no room for the context ID
            assertTrue(flow.awaitClosed(TIMEOUT));
            assertTrue(seen.awaitClosed().isPresent());
            assertEquals(malformed + 1, counter(UdpCounters.CAPSULES_MALFORMED));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sendRefusesOversizeAndCountsDrops(Transport transport) throws Exception {
        long oversize = counter(UdpCounters.DROPPED_OVERSIZE);
        long full = counter(UdpCounters.DROPPED_QUEUE_FULL);
        try (PipeliningMasqueClient client = transport.client(server);
             Flow flow = client.open(authority(), path("quiet.example", 53), TIMEOUT)) {
            UdpEchoHandler.Accepted seen = handler.next();
            assertFalse(seen.flow.send(ByteBuffer.allocate(65_528)));
            assertEquals(oversize + 1, counter(UdpCounters.DROPPED_OVERSIZE));
            byte[] largest = random(65_527);
            assertTrue(seen.flow.send(ByteBuffer.wrap(largest)));
            assertArrayEquals(largest, flow.receive(TIMEOUT));

            // A burst from another thread: send never blocks, and what it refuses is counted as queue-full.
            int refused = CompletableFuture.supplyAsync(() -> {
                int no = 0;
                for (int i = 0; i < 2000; i++) {
                    if (!seen.flow.send(ByteBuffer.allocate(16 * 1024))) no++;
                }
                return no;
            }).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(full + refused, counter(UdpCounters.DROPPED_QUEUE_FULL));
            for (int i = 0; i < 2000 - refused; i++) assertEquals(16 * 1024, flow.receive(TIMEOUT).length);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
