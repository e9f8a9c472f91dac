package io.acip.ingress.h3;

import static io.acip.ingress.masque.RawH3Stream.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.acip.ingress.masque.KwikH3Connection;
import io.acip.ingress.masque.RawH3Stream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tech.kwik.core.log.NullLogger;

/**
 * Handshakes and GETs with no retry anywhere: every one must complete and every response must end. Three faults hit
 * about one connection in 100, one GET in 25 and one GET in 80 here before they were fixed: Kwik dropping a
 * ServerHello that overtakes its own bookkeeping ({@code KwikH3Connection.ServerHelloGate}), a response FIN written
 * inside Netty QUIC's receive processing that never left ({@link StreamBodySource}), and a Kwik assertion, false when
 * loopback RTTs round to 0 ms, killing the client's receiver thread ({@code KwikH3Connection.LossDetectorAssertion}).
 */
class Http3HandshakeTest extends Http3ListenerFixture {
    /**
     * Connections in a row: a soak, run with {@code -Dh3.handshakes=500} (about 20 s), so not in the default build. A
     * failure says whether the listener saw the request; look also for a Kwik thread that died in the test output.
     */
    private static final int HANDSHAKES = Integer.getInteger("h3.handshakes", 0);

    @Test
    @Timeout(900)
    void connectionsInARowAllHandshakeAndAnswer() throws Exception {
        assumeTrue(HANDSHAKES > 0, "soak: -Dh3.handshakes=N");
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < HANDSHAKES; i++) {
            long exchanges = counters.get(CounterNames.H3_EXCHANGES);
            try (KwikH3Connection c = connect()) {
                RawH3Stream s = get(c, "/h" + i);
                RawH3Stream.Headers head;
                try {
                    head = s.responseHead(WAIT, null);
                } catch (java.io.IOException e) {
                    failed.add(i + ": no response head; the listener " + (counters.get(CounterNames.H3_EXCHANGES)
                            > exchanges ? "served" : "never saw") + " the request");
                    continue;
                }
                if (!("/h" + i).equals(head.get("x-echo-path"))) failed.add(i + ": head " + head);
                if (!s.rest(WAIT).clean()) failed.add(i + ": the response never ended");
            } catch (Exception e) {
                failed.add(i + ": " + e);
            }
        }
        assertEquals(List.of(), failed, HANDSHAKES + " connections");
    }

    /**
     * Widens Kwik's race window deterministically: the connecting thread stalls right after handing the ClientHello
     * to the sender thread, before the TLS engine records that it waits for a ServerHello. Without the client's gate
     * nearly every such handshake stalls; with it, none may.
     */
    @Test
    void handshakeCompletesWhenTheServerHelloOvertakesTheClient() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (KwikH3Connection c = KwikH3Connection.connect(address(), H3TestPki.CA.certificate(), true,
                    new StallAfterClientHello())) {
                RawH3Stream s = get(c, "/late" + i);
                assertEquals("/late" + i, s.responseHead(WAIT, null).get("x-echo-path"));
                assertTrue(s.rest(WAIT).clean());
            }
        }
    }

    private RawH3Stream get(KwikH3Connection c, String path) throws Exception {
        RawH3Stream s = c.openStream();
        s.headers(lines(":method", "GET", ":scheme", "https", ":authority", authority(), ":path", path));
        s.finish();
        return s;
    }

    /**
     * Kwik logs the ClientHello as sent on the connecting thread, after the sender thread has it and before the TLS
     * engine sets WaitServerHello: stalling there lets the listener's ServerHello (1-2 ms on loopback) come first.
     */
    private static final class StallAfterClientHello extends NullLogger {
        @Override
        public void sentPacketInfo(String info) {
            if (info != null && info.contains("ClientHello")) {
                try {
                    Thread.sleep(50); // the fault being injected, not synchronisation
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
