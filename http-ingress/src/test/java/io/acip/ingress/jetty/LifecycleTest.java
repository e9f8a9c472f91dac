package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Start, bound ports, stop; a port already taken is an IOException at start, not a half-started gateway. */
@Timeout(60)
class LifecycleTest {

    @Test
    void startBindsEphemeralPortsAndStopReleasesThem() throws Exception {
        IngressServer server = new IngressServer(IngressConfig.builder("gw")
                .cleartext(new InetSocketAddress("127.0.0.1", 0))
                .tls(new InetSocketAddress("127.0.0.1", 0), TestPki.SERVER).build(), new TestHandler());
        assertEquals(-1, server.cleartextPort(), "not bound before start");
        server.start();
        assertTrue(server.isRunning());
        assertTrue(server.cleartextPort() > 0);
        assertTrue(server.tlsPort() > 0);
        server.stop();
        assertFalse(server.isRunning());
    }

    @Test
    void aTakenPortFailsTheStart() throws Exception {
        try (IngressServer first = new IngressServer(IngressConfig.builder("gw")
                .cleartext(new InetSocketAddress("127.0.0.1", 0)).build(), new TestHandler())) {
            first.start();
            IngressServer second = new IngressServer(IngressConfig.builder("gw")
                    .cleartext(new InetSocketAddress("127.0.0.1", first.cleartextPort())).build(), new TestHandler());
            assertThrows(IOException.class, second::start);
            assertFalse(second.isRunning());
        }
    }

    @Test
    void earlyHintsReachTheAgentBeforeTheResponse() throws Exception {
        try (IngressServer server = new IngressServer(IngressConfig.builder("gw")
                .cleartext(new InetSocketAddress("127.0.0.1", 0)).build(), new TestHandler())) {
            server.start();
            for (String version : new String[] {"--http1.1", "--http2-prior-knowledge"}) {
                Curl.Result r = Curl.run(version, "http://127.0.0.1:" + server.cleartextPort() + "/hints");
                assertEquals(0, r.exit(), r.stderr());
                assertTrue(r.head().contains(" 103"), r.head());
                assertTrue(r.head().toLowerCase().contains("link: </style.css>; rel=preload"), r.head());
                assertEquals(204, r.status());
            }
        }
    }
}
