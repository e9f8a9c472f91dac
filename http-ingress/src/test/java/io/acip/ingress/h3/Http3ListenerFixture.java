package io.acip.ingress.h3;

import io.acip.ingress.ConnectionsPerIp;
import io.acip.ingress.jetty.IngressConfig;
import io.acip.ingress.jetty.IngressCounters;
import io.acip.ingress.masque.KwikH3Connection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** A running HTTP/3 listener on loopback (ephemeral port) shared by a test class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
abstract class Http3ListenerFixture {
    static final String PROXY_NAME = "acip-test";
    static final Duration WAIT = Duration.ofSeconds(10);

    final H3TestHandler handler = new H3TestHandler();
    final IngressCounters counters = new IngressCounters();
    Http3Listener listener;

    static IngressConfig config() {
        return builder().build();
    }

    static IngressConfig.Builder builder() {
        return IngressConfig.builder(PROXY_NAME).tls(new InetSocketAddress("127.0.0.1", 0), H3TestPki.SERVER)
                .idleTimeout(Duration.ofSeconds(60)).stopTimeout(Duration.ofSeconds(5));
    }

    /** The listener's config; a class that tests a limit overrides it. */
    IngressConfig listenerConfig() {
        return config();
    }

    @BeforeAll
    void startListener() throws IOException {
        IngressConfig config = listenerConfig();
        listener = new Http3Listener(config, new InetSocketAddress("127.0.0.1", 0), handler, counters,
                new ConnectionsPerIp(config.maxConnectionsPerIp()));
        listener.start();
    }

    /** A graceful stop that waits out its timeout means an exchange or flow never ended: the class fails. */
    @AfterAll
    void stopListener() throws Exception {
        long start = System.nanoTime();
        listener.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (took.compareTo(Duration.ofSeconds(4)) > 0) {
            throw new AssertionError("stop waited " + took + ": something stayed in flight");
        }
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", listener.port());
    }

    String authority() {
        return "127.0.0.1:" + listener.port();
    }

    KwikH3Connection connect() throws IOException {
        return KwikH3Connection.connect(address(), H3TestPki.CA.certificate(), true);
    }
}
