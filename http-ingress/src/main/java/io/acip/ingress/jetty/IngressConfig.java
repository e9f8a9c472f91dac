package io.acip.ingress.jetty;

import io.acip.capsule.masque.ConnectUdpTemplate;
import io.acip.ingress.DatagramTransport;
import io.acip.tls.IssuedIdentity;
import io.acip.tls.LeafCertificateMinter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the Jetty listeners are set up. Validated once here, so that a bad value is refused at start with the name of
 * the offending field ({@code ingress.<field>}); build one with {@link #builder(String)}.
 *
 * @param proxyName this gateway's name in {@code Proxy-Status} (RFC 9209 §2) and {@code Via} (RFC 9110 §7.6.3):
 *     an RFC 9110 token
 * @param cleartextAddress HTTP/1.1, h2c by Upgrade and h2c by prior knowledge, all on this one port; null for none
 * @param tlsAddress HTTPS with ALPN h2 and http/1.1; null for none
 * @param tlsIdentity the certificate chain and key the TLS listener presents; required with {@code tlsAddress}
 * @param interceptionMinter mints leaves for intercepted CONNECT tunnels; null makes interception impossible
 * @param requestHeaderSize largest request line plus header section (HTTP/1.1: 431 or 414 beyond it; HTTP/2: the
 *     advertised SETTINGS_MAX_HEADER_LIST_SIZE)
 * @param responseHeaderSize largest response header section the listeners will write
 * @param idleTimeout an HTTP connection or HTTP/2 stream with no traffic this long is closed
 * @param tunnelIdleTimeout a CONNECT tunnel with no traffic either way this long is closed (Envoy's tcp_proxy
 *     default is one hour; long-lived agent streams need more than an HTTP request does)
 * @param connectTimeout how long a {@code Direct} CONNECT may take to reach its destination
 * @param maxConcurrentStreams HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS per connection
 * @param h2StreamWindow HTTP/2 initial flow-control window per stream: what one stream may have in flight
 * @param h2SessionWindow HTTP/2 initial flow-control window per connection
 * @param maxConnections accepted TCP connections over all listeners; 0 for no limit
 * @param maxThreads the Jetty thread pool's size (default: 16 per available processor, at least 32)
 * @param tunnelBufferSize bytes read at a time from either side of a tunnel
 * @param stopTimeout how long {@code stop()} waits for exchanges in flight
 * @param addVia whether forwarded responses get a {@code Via} line naming this gateway
 * @param connectUdpTemplate the CONNECT-UDP URI template (RFC 9298 §2) whose path and query requests are matched
 *     against on every listener; its authority is ignored (any authority this gateway answers for)
 * @param udpIdleTimeout a CONNECT-UDP flow with no datagram either way this long is closed (RFC 9298 §5 leaves it
 *     to the proxy; at least two minutes, so NAT-style keep-alives of clients suffice)
 * @param http3 whether an HTTP/3 listener runs on the UDP port twin of {@code tlsAddress} (same certificate), which
 *     the TCP listeners then advertise with {@code Alt-Svc}
 * @param clientTrust trust anchors for TLS client certificates on the TLS and HTTP/3 listeners: when not empty, the
 *     listeners ask agents for a certificate (optional: one that does not chain to these is refused in the
 *     handshake, none at all is allowed) and hand the verified chain to the handler
 * @param requestHeadTimeout how long a request head may take to arrive whole, however slowly its bytes trickle:
 *     from the connection's accept (TLS handshake included) for its first request, from the first byte of each
 *     later one; an HTTP/2 connection's preface and SETTINGS, and each header block; an HTTP/3 request stream's
 *     HEADERS frame
 * @param maxConnectionsPerIp open connections from one client IP address over all listeners (TCP connections and
 *     QUIC connections together); 0 for no limit
 * @param datagramTransport what the HTTP/3 listener's UDP socket and loop run on
 */
public record IngressConfig(String proxyName, InetSocketAddress cleartextAddress, InetSocketAddress tlsAddress,
                            IssuedIdentity tlsIdentity, LeafCertificateMinter interceptionMinter,
                            int requestHeaderSize, int responseHeaderSize, Duration idleTimeout,
                            Duration tunnelIdleTimeout, Duration connectTimeout, int maxConcurrentStreams,
                            int h2StreamWindow, int h2SessionWindow, int maxConnections, int maxThreads,
                            int tunnelBufferSize, Duration stopTimeout, boolean addVia,
                            ConnectUdpTemplate connectUdpTemplate, Duration udpIdleTimeout, boolean http3,
                            java.util.List<java.security.cert.X509Certificate> clientTrust,
                            Duration requestHeadTimeout, int maxConnectionsPerIp,
                            DatagramTransport datagramTransport) {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    public IngressConfig {
        clientTrust = clientTrust == null ? java.util.List.of() : java.util.List.copyOf(clientTrust);
        if (proxyName == null || !TOKEN.matcher(proxyName).matches()) {
            throw invalid("proxyName", "must be an RFC 9110 token (it names this gateway in Proxy-Status and Via)",
                    proxyName);
        }
        if (cleartextAddress == null && tlsAddress == null) {
            throw new IllegalArgumentException("ingress: at least one of cleartextAddress and tlsAddress is needed");
        }
        if (tlsAddress != null && tlsIdentity == null) {
            throw invalid("tlsIdentity", "is required when tlsAddress is set", null);
        }
        range("requestHeaderSize", requestHeaderSize, KIB, MIB);
        range("responseHeaderSize", responseHeaderSize, KIB, MIB);
        positive("idleTimeout", idleTimeout);
        positive("tunnelIdleTimeout", tunnelIdleTimeout);
        positive("connectTimeout", connectTimeout);
        positive("stopTimeout", stopTimeout);
        range("maxConcurrentStreams", maxConcurrentStreams, 1, 1 << 16);
        // RFC 9113 §6.9.2: windows are at least the 65535 default, at most 2^31-1.
        range("h2StreamWindow", h2StreamWindow, 65_535, Integer.MAX_VALUE);
        range("h2SessionWindow", h2SessionWindow, 65_535, Integer.MAX_VALUE);
        range("maxConnections", maxConnections, 0, Integer.MAX_VALUE);
        positive("requestHeadTimeout", requestHeadTimeout);
        range("maxConnectionsPerIp", maxConnectionsPerIp, 0, Integer.MAX_VALUE);
        range("maxThreads", maxThreads, 8, 100_000);
        range("tunnelBufferSize", tunnelBufferSize, KIB, 4 * MIB);
        if (connectUdpTemplate == null) throw invalid("connectUdpTemplate", "is required", null);
        positive("udpIdleTimeout", udpIdleTimeout);
        if (udpIdleTimeout.compareTo(Duration.ofMinutes(2)) < 0) {
            throw invalid("udpIdleTimeout", "must be at least 2 minutes (RFC 9298 §5)", udpIdleTimeout);
        }
        if (datagramTransport == null) throw invalid("datagramTransport", "is required", null);
        if (http3 && tlsAddress == null) {
            throw invalid("http3", "needs tlsAddress (HTTP/3 listens on its UDP twin)", true);
        }
    }

    /** Defaults for everything but the name and the listen addresses. */
    public static Builder builder(String proxyName) {
        return new Builder(proxyName);
    }

    private static void range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw invalid(field, "must be between " + min + " and " + max, value);
        }
    }

    private static void positive(String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(field, "must be a positive duration", value);
        }
    }

    private static IllegalArgumentException invalid(String field, String rule, Object value) {
        return new IllegalArgumentException("ingress." + field + " " + rule + ", not " + value);
    }

    /** Collects the values; {@link #build()} validates them. */
    public static final class Builder {
        private final String proxyName;
        private InetSocketAddress cleartextAddress;
        private InetSocketAddress tlsAddress;
        private IssuedIdentity tlsIdentity;
        private LeafCertificateMinter interceptionMinter;
        private int requestHeaderSize = 16 * KIB;
        private int responseHeaderSize = 32 * KIB;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration tunnelIdleTimeout = Duration.ofHours(1);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int maxConcurrentStreams = 128;
        private int h2StreamWindow = MIB;
        private int h2SessionWindow = 4 * MIB;
        private int maxConnections = 10_000;
        /**
         * Every exchange is asynchronous, so threads are for cores, not for connections: 16 per core (at least 32)
         * rather than Jetty's 200, which on a small machine let bursts grow the pool to a hundred threads.
         */
        private int maxThreads = Math.max(32, 16 * Runtime.getRuntime().availableProcessors());
        private int tunnelBufferSize = 16 * KIB;
        private Duration stopTimeout = Duration.ofSeconds(10);
        private boolean addVia = true;
        private ConnectUdpTemplate connectUdpTemplate = ConnectUdpTemplate.defaultFor("gateway");
        private Duration udpIdleTimeout = Duration.ofMinutes(2);
        private boolean http3;
        private java.util.List<java.security.cert.X509Certificate> clientTrust = java.util.List.of();
        private Duration requestHeadTimeout = Duration.ofSeconds(10);
        private int maxConnectionsPerIp = 256;
        private DatagramTransport datagramTransport = DatagramTransport.preferred();

        private Builder(String proxyName) {
            this.proxyName = proxyName;
        }

        public Builder cleartext(InetSocketAddress address) {
            this.cleartextAddress = address;
            return this;
        }

        public Builder tls(InetSocketAddress address, IssuedIdentity identity) {
            this.tlsAddress = address;
            this.tlsIdentity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        public Builder interception(LeafCertificateMinter minter) {
            this.interceptionMinter = minter;
            return this;
        }

        public Builder requestHeaderSize(int bytes) {
            this.requestHeaderSize = bytes;
            return this;
        }

        public Builder responseHeaderSize(int bytes) {
            this.responseHeaderSize = bytes;
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        public Builder tunnelIdleTimeout(Duration timeout) {
            this.tunnelIdleTimeout = timeout;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder maxConcurrentStreams(int streams) {
            this.maxConcurrentStreams = streams;
            return this;
        }

        public Builder h2Windows(int streamWindow, int sessionWindow) {
            this.h2StreamWindow = streamWindow;
            this.h2SessionWindow = sessionWindow;
            return this;
        }

        public Builder maxConnections(int connections) {
            this.maxConnections = connections;
            return this;
        }

        public Builder maxThreads(int threads) {
            this.maxThreads = threads;
            return this;
        }

        public Builder tunnelBufferSize(int bytes) {
            this.tunnelBufferSize = bytes;
            return this;
        }

        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        public Builder addVia(boolean add) {
            this.addVia = add;
            return this;
        }

        /**
         * The CONNECT-UDP template's path and query, e.g. {@value ConnectUdpTemplate#DEFAULT_PATH}.
         *
         * @throws IllegalArgumentException naming the rule of RFC 9298 §2 it breaks
         */
        public Builder connectUdpPath(String pathTemplate) {
            try {
                this.connectUdpTemplate = ConnectUdpTemplate.parse("https://gateway" + pathTemplate);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ingress.connectUdpPath " + e.getMessage(), e);
            }
            return this;
        }

        public Builder udpIdleTimeout(Duration timeout) {
            this.udpIdleTimeout = timeout;
            return this;
        }

        public Builder http3(boolean enabled) {
            this.http3 = enabled;
            return this;
        }

        /** Asks agents for TLS client certificates chaining to these anchors (mTLS); empty asks for none. */
        public Builder clientTrust(java.util.List<java.security.cert.X509Certificate> anchors) {
            this.clientTrust = anchors;
            return this;
        }

        public Builder requestHeadTimeout(Duration timeout) {
            this.requestHeadTimeout = timeout;
            return this;
        }

        /** Open connections one client IP address may hold over all listeners; 0 for no limit. */
        public Builder maxConnectionsPerIp(int connections) {
            this.maxConnectionsPerIp = connections;
            return this;
        }

        /** Epoll or NIO for the HTTP/3 listener (default: epoll where it loads). */
        public Builder datagramTransport(DatagramTransport transport) {
            this.datagramTransport = transport;
            return this;
        }

        public IngressConfig build() {
            return new IngressConfig(proxyName, cleartextAddress, tlsAddress, tlsIdentity, interceptionMinter,
                    requestHeaderSize, responseHeaderSize, idleTimeout, tunnelIdleTimeout, connectTimeout,
                    maxConcurrentStreams, h2StreamWindow, h2SessionWindow, maxConnections, maxThreads,
                    tunnelBufferSize, stopTimeout, addVia, connectUdpTemplate, udpIdleTimeout, http3,
                    clientTrust, requestHeadTimeout, maxConnectionsPerIp, datagramTransport);
        }
    }
}
