package io.acip.ingress.h3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.ingress.jetty.IngressCounters;
import io.acip.ingress.masque.Http3MasqueClient;
import io.acip.ingress.masque.MasqueClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RFC 9298 §5: a flow with no datagram either way for the idle timeout is closed by the proxy. */
@Timeout(60)
class Http3UdpIdleTimeoutTest {
    @Test
    void idleFlowIsClosedAndTheHandlerTold() throws Exception {
        H3TestHandler handler = new H3TestHandler();
        IngressCounters counters = new IngressCounters();
        // The package-private constructor takes a short idle timeout; IngressConfig keeps its 2-minute minimum.
        Http3Listener listener = new Http3Listener(Http3ListenerFixture.config(),
                new InetSocketAddress("127.0.0.1", 0), handler, counters, Duration.ofMillis(300));
        listener.start();
        try (Http3MasqueClient client = Http3MasqueClient.connect(new InetSocketAddress("127.0.0.1",
                listener.port()), H3TestPki.CA.certificate())) {
            MasqueClient.Flow flow = client.open("localhost", "/.well-known/masque/udp/192.0.2.1/443/",
                    Duration.ofSeconds(10));
            assertEquals(200, flow.status());
            flow.send(new byte[] {1}); // activity pushes the deadline out; then silence
            flow.receive(Duration.ofSeconds(10));
            Object cause = handler.closes.poll(10, TimeUnit.SECONDS);
            assertTrue(cause instanceof TimeoutException, "expected a TimeoutException, got " + cause);
            assertTrue(flow.awaitClosed(Duration.ofSeconds(10)), "the agent sees the stream end");
            assertEquals(1, counters.get(CounterNames.UDP_FLOWS_IDLE_CLOSED));
        } finally {
            listener.stop();
        }
        assertEquals(0, listener.inFlight());
    }
}
