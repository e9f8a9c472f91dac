package io.acip.ingress.jetty;

import io.acip.ingress.ConnectionsPerIp;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.h3.Http3Listener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.SessionContainer;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The gateway's HTTP/1.1 and HTTP/2 listeners on Jetty: a cleartext port (HTTP/1.1, h2c by Upgrade and by prior
 * knowledge, forward-proxy absolute-form and CONNECT), an optional TLS port (ALPN h2 and http/1.1), and, with a
 * leaf minter, the in-memory listener that serves intercepted CONNECT tunnels. Everything accepted goes to one
 * {@link IngressHandler}.
 */
public final class IngressServer implements AutoCloseable {
    private static final char[] KEY_STORE_PASSWORD = "acip-ingress".toCharArray(); // in-memory store only

    private final IngressCounters counters = new IngressCounters();
    private final ConnectionsPerIp perIp;
    private final List<SessionContainer> h2Sessions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Server server;
    private final ServerConnector cleartext;
    private final ServerConnector tls;
    private final IngressConfig config;
    private final IngressHandler handler;
    private Http3Listener http3;

    public IngressServer(IngressConfig config, IngressHandler handler) {
        this(config, handler, config.udpIdleTimeout());
    }

    /**
     * With a CONNECT-UDP idle timeout of the caller's choosing: tests need seconds, which the config refuses (it
     * holds deployments to RFC 9298 §5's minutes).
     */
    IngressServer(IngressConfig config, IngressHandler handler, Duration udpIdleTimeout) {
        this.config = config;
        this.handler = handler;
        this.perIp = new ConnectionsPerIp(config.maxConnectionsPerIp());
        QueuedThreadPool threads = new QueuedThreadPool(config.maxThreads(),
                Math.min(8, Runtime.getRuntime().availableProcessors() * 2));
        threads.setName("acip-ingress");
        server = new Server(threads);
        server.setStopTimeout(config.stopTimeout().toMillis());
        server.setErrorHandler(new ProblemErrorHandler(config.proxyName(), counters));

        HttpConfiguration http = httpConfiguration(config);
        // Alt-Svc names the gateway's own HTTP/3 port, so responses inside intercepted tunnels do not carry it.
        HttpConfiguration listeners = new HttpConfiguration(http);
        if (config.http3()) listeners.addCustomizer(new AltSvcCustomizer(this::tlsPort));
        cleartext = config.cleartextAddress() == null ? null : listen(config, config.cleartextAddress(),
                new TargetFormHttpConnectionFactory(listeners, config.requestHeadTimeout(), counters),
                h2(new H2cConnectionFactory(listeners, config.requestHeadTimeout(), counters), config));
        tls = config.tlsAddress() == null ? null : tlsListener(config, listeners);
        InterceptConnector interceptor = config.interceptionMinter() == null ? null : interceptor(config, http);

        ClientConnector dialer = new ClientConnector();
        dialer.setExecutor(threads);
        dialer.setScheduler(server.getScheduler());
        dialer.setByteBufferPool(server.getByteBufferPool());
        dialer.setConnectTimeout(config.connectTimeout());
        dialer.setIdleTimeout(config.tunnelIdleTimeout());
        server.addBean(dialer);
        if (config.maxConnections() > 0) {
            server.addBean(new NetworkConnectionLimit(config.maxConnections(), server));
        }

        ConnectDispatcher connects = new ConnectDispatcher(handler, config, counters, new DirectDialer(dialer),
                interceptor, threads, server.getByteBufferPool(), server.getScheduler());
        ConnectUdpDispatcher udp = new ConnectUdpDispatcher(handler, config, udpIdleTimeout, counters, threads,
                server.getByteBufferPool(), server.getScheduler());
        // GracefulHandler lets stop() wait up to stopTimeout for exchanges in flight.
        server.setHandler(new GracefulHandler(
                new IngressRequestHandler(handler, connects, udp, config.proxyName(), config.addVia(), counters)));
    }

    /**
     * Binds the listeners and starts serving: the TCP ones, then HTTP/3 on the UDP port of the TLS listener's bound
     * address (its twin, which {@code Alt-Svc} names).
     *
     * @throws IOException if a listen address cannot be bound
     */
    public void start() throws IOException {
        try {
            server.start();
            if (config.http3()) {
                http3 = new Http3Listener(config, new InetSocketAddress(config.tlsAddress().getAddress(), tlsPort()),
                        handler, counters, perIp);
                http3.start();
            }
        } catch (Exception e) {
            stopQuietly();
            Throwable cause = e;
            while (cause != null && !(cause instanceof IOException)) cause = cause.getCause();
            if (cause instanceof IOException io) throw io;
            throw new IllegalStateException("the ingress listeners failed to start: " + e.getMessage(), e);
        }
    }

    /** Stops accepting, waits up to the stop timeout for exchanges in flight, then closes everything. */
    public void stop() throws Exception {
        try {
            if (http3 != null) http3.stop();
        } finally {
            goAway();
            server.stop();
        }
    }

    /** A graceful GOAWAY on every HTTP/2 session (RFC 9113 §6.8): streams in flight finish, no new ones open. */
    private void goAway() {
        for (SessionContainer c : h2Sessions) {
            for (org.eclipse.jetty.http2.api.Session s : List.copyOf(c.getSessions())) s.shutdown();
        }
    }

    /**
     * Drains within {@code timeout}: every listener stops accepting at once (HTTP/2 and HTTP/3 agents get GOAWAY,
     * HTTP/1.1 requests on open connections a 503 with {@code Connection: close}), exchanges and flows in progress
     * get until the deadline, then whatever is left is closed. The HTTP/3 and TCP listeners drain side by side.
     * Returns whether everything had ended by itself.
     */
    public boolean drain(java.time.Duration timeout) throws Exception {
        java.util.concurrent.CompletableFuture<Boolean> h3 = http3 == null
                ? java.util.concurrent.CompletableFuture.completedFuture(true)
                : java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return http3.stop(timeout);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                });
        goAway();
        server.setStopTimeout(timeout.toMillis());
        boolean tcpIdle = true;
        try {
            server.stop(); // Jetty: graceful shutdown of connectors and requests in flight, bounded by the stop timeout
        } catch (java.util.concurrent.TimeoutException e) {
            tcpIdle = false; // Jetty stopped anyway, cutting what was left
        }
        return h3.get() && tcpIdle;
    }

    @Override
    public void close() {
        stopQuietly();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** The bound cleartext port, -1 without a cleartext listener or before start. */
    public int cleartextPort() {
        return cleartext == null ? -1 : cleartext.getLocalPort();
    }

    /** The bound TLS port, -1 without a TLS listener or before start. */
    public int tlsPort() {
        return tls == null ? -1 : tls.getLocalPort();
    }

    /** The bound HTTP/3 (UDP) port, -1 without HTTP/3 or before start. */
    public int http3Port() {
        return http3 == null ? -1 : http3.port();
    }

    /** The listeners' worker threads, for the gateway's metrics (Jetty thread pool meters). */
    public org.eclipse.jetty.util.thread.ThreadPool threadPool() {
        return server.getThreadPool();
    }

    /** Open connections per client IP address, over the TCP and HTTP/3 listeners. */
    public ConnectionsPerIp connectionsPerIp() {
        return perIp;
    }

    /** Counters named {@code ingress.<thing>.<event>}, for the gateway to export. */
    public IngressCounters counters() {
        return counters;
    }

    /** Jetty's component tree with connections and their state, for diagnosing a stuck stop. */
    String dump() {
        return server.dump();
    }

    private void stopQuietly() {
        if (http3 != null) http3.close();
        goAway();
        try {
            server.stop();
        } catch (Exception ignored) {
            // already failing or stopping: nothing better to do than to let go
        }
    }

    private static HttpConfiguration httpConfiguration(IngressConfig config) {
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(config.requestHeaderSize());
        http.setResponseHeaderSize(config.responseHeaderSize());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(false); // a forwarded response brings the origin's Date
        // RFC 9112 §3.2.2: with absolute-form the target's authority wins and Host is ignored, not a 400.
        http.setHttpCompliance(HttpCompliance.RFC9110.with("acip-forward-proxy",
                HttpCompliance.Violation.MISMATCHED_AUTHORITY));
        // Jetty's HTTP/2 answers a URI it refuses with a bare 400: the check is the handler's instead (same rules,
        // the gateway's error shape on every version), which also lets CONNECT-UDP targets be judged by the
        // template (a zone ID's "%25", an empty segment) with RFC 9298's details.
        http.setUriCompliance(UriCompliance.UNSAFE);
        return http;
    }

    /**
     * Jetty 12.1's graceful stop shuts HTTP/2 sessions down while holding its session container's lock, and a
     * connection closing at the same moment takes the same lock while holding its endpoint's: the two threads
     * deadlock (seen in the intercepted-tunnel suite). The containers are therefore kept out of Jetty's graceful
     * walk, and {@link #goAway} sends each session its GOAWAY without any lock held.
     */
    private <T extends AbstractHTTP2ServerConnectionFactory> T h2(T factory, IngressConfig config) {
        SessionContainer sessions = factory.getBean(SessionContainer.class);
        if (sessions != null && factory.removeBean(sessions)) h2Sessions.add(sessions);
        factory.setMaxConcurrentStreams(config.maxConcurrentStreams());
        factory.setInitialStreamRecvWindow(config.h2StreamWindow());
        factory.setInitialSessionRecvWindow(config.h2SessionWindow());
        factory.setStreamIdleTimeout(config.idleTimeout().toMillis());
        // RFC 8441 §3: extended CONNECT serves CONNECT-UDP (RFC 9298 §3.4); other protocols are answered 501.
        factory.setConnectProtocolEnabled(true);
        return factory;
    }

    private ServerConnector listen(IngressConfig config, InetSocketAddress address, ConnectionFactory... factories) {
        ServerConnector connector = new ServerConnector(server, factories);
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        connector.addBean(new ConnectionsPerIpLimit(perIp, counters));
        server.addConnector(connector);
        return connector;
    }

    private ServerConnector tlsListener(IngressConfig config, HttpConfiguration http) {
        HttpConfiguration https = secure(http);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(config.tlsIdentity().keyStore(KEY_STORE_PASSWORD));
        ssl.setKeyStorePassword(new String(KEY_STORE_PASSWORD));
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR); // RFC 9113 §9.2.2: h2-acceptable suites first
        if (!config.clientTrust().isEmpty()) {
            // Optional: agents without a certificate still connect and authenticate otherwise (or not at all).
            ssl.setWantClientAuth(true);
            ssl.setTrustStore(ClientTrust.keyStore(config.clientTrust()));
        }
        ALPNServerConnectionFactory alpn = alpn(config);
        ServerConnector connector = listen(config, config.tlsAddress(),
                new SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
                h2(new H2ConnectionFactory(https, config.requestHeadTimeout(), counters), config),
                new TargetFormHttpConnectionFactory(https, config.requestHeadTimeout(), counters));
        connector.addBean(new HandshakeCounter("ingress.tls", counters));
        return connector;
    }

    private InterceptConnector interceptor(IngressConfig config, HttpConfiguration http) {
        HttpConfiguration https = secure(http);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(mintingContext(config));
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
        ALPNServerConnectionFactory alpn = alpn(config);
        InterceptSslConnectionFactory tls = new InterceptSslConnectionFactory(ssl, alpn.getProtocol());
        TargetFormHttpConnectionFactory http1 = new TargetFormHttpConnectionFactory(https,
                config.requestHeadTimeout(), counters);
        InterceptConnector connector = new InterceptConnector(server, 4 * config.tunnelBufferSize(),
                new TunnelProtocolDetector(tls, http1, counters), tls, alpn,
                h2(new H2ConnectionFactory(https, config.requestHeadTimeout(), counters), config), http1);
        connector.setIdleTimeout(config.idleTimeout().toMillis());
        connector.addBean(new HandshakeCounter("ingress.intercept", counters));
        server.addConnector(connector);
        return connector;
    }

    private SSLContext mintingContext(IngressConfig config) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new MintingKeyManager(config.interceptionMinter(), counters)}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS context", e);
        }
    }

    /**
     * The SNI host check is off: the gateway routes by Host itself, and inside an intercepted tunnel the CONNECT
     * target, not Host, decides where a request goes. Set explicitly, as Jetty otherwise adds one with it on.
     */
    private static HttpConfiguration secure(HttpConfiguration http) {
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer(false));
        return https;
    }

    private ALPNServerConnectionFactory alpn(IngressConfig config) {
        ALPNServerConnectionFactory alpn = new HandshakeTimedAlpnFactory(config.requestHeadTimeout(), counters,
                "h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1"); // a client that offers no ALPN speaks HTTP/1.1
        return alpn;
    }

    /** Counts TLS handshakes, so refused certificates (an agent not trusting the CA) show up. */
    private record HandshakeCounter(String scope, IngressCounters counters) implements SslHandshakeListener {
        @Override
        public void handshakeSucceeded(Event event) {
            counters.increment(scope + ".handshake.succeeded");
        }

        @Override
        public void handshakeFailed(Event event, Throwable failure) {
            counters.increment(scope + ".handshake.failed");
        }
    }
}
