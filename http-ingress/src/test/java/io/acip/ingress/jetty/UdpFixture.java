package io.acip.ingress.jetty;

import io.acip.ingress.masque.Http1MasqueClient;
import io.acip.ingress.masque.Http2MasqueClient;
import io.acip.ingress.masque.MasqueClient;
import io.acip.ingress.masque.PipeliningMasqueClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A running gateway (cleartext and TLS on loopback, ephemeral ports) with the {@link UdpEchoHandler} and a short
 * CONNECT-UDP idle timeout, shared by a test class; and the MASQUE clients for every HTTP version it serves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
abstract class UdpFixture {
    static final String PROXY_NAME = "acip-test";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Short enough to test, long enough that no other test's flow idles out under a loaded CI machine. */
    static final Duration UDP_IDLE = Duration.ofSeconds(2);
    /** Also how long a flow whose agent vanished mid-answer may wait before the listener hears of it. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    final UdpEchoHandler handler = new UdpEchoHandler();
    IngressServer server;

    IngressConfig.Builder configure(IngressConfig.Builder builder) {
        return builder;
    }

    @BeforeAll
    void startGateway() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        server = new IngressServer(configure(IngressConfig.builder(PROXY_NAME).cleartext(loopback)
                .tls(loopback, TestPki.SERVER).connectTimeout(CONNECT_TIMEOUT)
                .idleTimeout(Duration.ofSeconds(60)).stopTimeout(Duration.ofSeconds(5))).build(), handler, UDP_IDLE);
        server.start();
    }

    @BeforeEach
    void freshHandlerState() {
        handler.flows.clear();
        handler.later = new java.util.concurrent.CompletableFuture<>();
    }

    /** A graceful stop that times out means a leaked stream, session or flow: the class fails. */
    @AfterAll
    void stopGateway() throws Exception {
        IngressFixture.stopShowingState(server);
    }

    long counter(String name) {
        return server.counters().get(name);
    }

    static String path(String host, Object port) {
        return "/.well-known/masque/udp/" + host + "/" + port + "/";
    }

    String authority() {
        return "localhost:" + server.tlsPort();
    }

    /** A trust store holding the test CA, as an agent configured to trust the gateway would have. */
    static KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("acip-test-ca", TestPki.CA.certificate());
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every way an agent can reach CONNECT-UDP on the Jetty listeners. */
    enum Transport {
        HTTP11_CLEARTEXT, HTTP11_TLS, H2C, H2_TLS;

        boolean http1() {
            return this == HTTP11_CLEARTEXT || this == HTTP11_TLS;
        }

        int successStatus() {
            return http1() ? 101 : 200;
        }

        String version() {
            return http1() ? "HTTP/1.1" : "HTTP/2";
        }

        PipeliningMasqueClient client(IngressServer server) throws Exception {
            InetSocketAddress clear = new InetSocketAddress("127.0.0.1", server.cleartextPort());
            InetSocketAddress tls = new InetSocketAddress("127.0.0.1", server.tlsPort());
            return switch (this) {
                case HTTP11_CLEARTEXT -> Http1MasqueClient.cleartext(clear);
                case HTTP11_TLS -> Http1MasqueClient.tls(tls, trustStore());
                case H2C -> Http2MasqueClient.cleartext(clear);
                case H2_TLS -> Http2MasqueClient.tls(tls, trustStore());
            };
        }
    }

    static String header(MasqueClient.Flow flow, String name) {
        return flow.headers().first(name).orElse(null);
    }
}
