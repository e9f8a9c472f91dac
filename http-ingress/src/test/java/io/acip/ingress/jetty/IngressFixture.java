package io.acip.ingress.jetty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** A running gateway (cleartext, TLS and interception on loopback, ephemeral ports) shared by a test class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
abstract class IngressFixture {
    static final String PROXY_NAME = "acip-test";

    final TestHandler handler = new TestHandler();
    IngressServer server;
    TcpEchoServer echo;

    IngressConfig.Builder configure(IngressConfig.Builder builder) {
        return builder;
    }

    @BeforeAll
    void startGateway() throws IOException {
        echo = new TcpEchoServer();
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        server = new IngressServer(configure(IngressConfig.builder(PROXY_NAME).cleartext(loopback)
                .tls(loopback, TestPki.SERVER).interception(TestPki.minter())
                .connectTimeout(Duration.ofSeconds(5)).idleTimeout(Duration.ofSeconds(60))
                .stopTimeout(Duration.ofSeconds(5))).build(), handler);
        server.start();
    }

    @BeforeEach
    void usualPolicy() {
        int echoPort = echo.port();
        handler.connectPolicy = c -> TestHandler.policy(c, echoPort);
    }

    /** A graceful stop that times out means a leaked exchange, stream, session or tunnel: the class fails. */
    @AfterAll
    void stopGateway() throws Exception {
        stopShowingState(server);
        echo.close();
    }

    /** Stops {@code server} gracefully; when that fails, prints what it held before, for the leak hunt. */
    static void stopShowingState(IngressServer server) throws Exception {
        String before = server.dump();
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("STOP FAILED; state before stop:\n" + before);
            throw e;
        }
    }

    String cleartextUrl(String path) {
        return "http://127.0.0.1:" + server.cleartextPort() + path;
    }

    String tlsUrl(String path) {
        return "https://localhost:" + server.tlsPort() + path;
    }

    String proxy() {
        return "http://127.0.0.1:" + server.cleartextPort();
    }

    HttpClient jdkClient(HttpClient.Version version) {
        return HttpClient.newBuilder().version(version).sslContext(TestPki.clientContext())
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    HttpClient jdkProxiedClient(HttpClient.Version version) {
        return HttpClient.newBuilder().version(version).sslContext(TestPki.clientContext())
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", server.cleartextPort())))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }
}
