package io.acip.gateway.origin;

import io.acip.gateway.egress.EgressPolicy;
import io.acip.gateway.egress.PolicyResolver;
import io.acip.gateway.http.HeaderLimits;
import io.acip.gateway.http.RequestPath;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.Exchange;
import io.acip.ingress.RequestInfo;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContinueProtocolHandler;
import org.eclipse.jetty.client.EarlyHintsProtocolHandler;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.ProcessingProtocolHandler;
import org.eclipse.jetty.client.ProtocolHandlers;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Forwards exchanges to HTTP origins (the far side's delivery, and direct egress). Cleartext HTTP/1.1, the common
 * case, runs on Netty event loops ({@link LoopOrigins}; in a gateway the node's own, so an exchange stays on the
 * loop of the session that carried it, from the session to the origin's socket and back); HTTPS, and HTTP/2 with
 * prior knowledge where the origin says {@link OriginConfig#h2c()}, on one shared Jetty {@link HttpClient}. Both
 * behave alike toward agents and origins.
 *
 * <p>Content streams both ways with backpressure: the request content is pulled from the exchange's
 * {@link io.acip.ingress.BodySource} only as fast as the origin takes it, and the response content is read from the
 * origin only as fast as the {@link io.acip.ingress.ResponseSink} completes writes, so memory per exchange stays at
 * about one chunk each way whatever the body size. Trailers pass both ways. Hop-by-hop fields are removed in both
 * directions (RFC 9110 §7.6.1) and {@code Via} gains this hop (§7.6.3).
 *
 * <p>Failures before the response head answer the agent with the RFC 9209 error type that names them (502
 * {@code connection_refused}, 504 {@code connection_timeout}, 502 {@code dns_error}, 504
 * {@code http_response_timeout}, 502 {@code connection_terminated}, ...); failures after it abort the response.
 */
public final class OriginForwarder implements AutoCloseable {
    /** HTTP/2 receive windows: what an origin may send ahead of a slow agent, per stream and per connection. */
    private static final int H2_STREAM_WINDOW = 1 << 20;
    private static final int H2_SESSION_WINDOW = 8 << 20;

    /** Request header sections for the loop client: names and values checked as they are added. */
    private static final DefaultHttpHeadersFactory REQUEST_HEADERS = DefaultHttpHeadersFactory.headersFactory()
            .withValueValidation(true);

    private final HttpClient client;
    private final LoopOrigins loops;
    private final String proxyName;
    private final HeaderLimits limits;

    /**
     * The shared client's limits.
     *
     * @param proxyName this gateway's name in {@code Via} (a token, RFC 9110 §7.6.3 pseudonym)
     * @param maxConnectionsPerOrigin connections kept to one origin (scheme, host, port, protocol)
     * @param maxQueuedPerOrigin requests waiting for one of those connections before new ones are refused (503
     *     {@code connection_limit_reached})
     * @param connectTimeoutCeiling the longest any TCP connect may take; {@link OriginConfig#connectTimeout()} is
     *     usually shorter and wins
     * @param poolIdleTimeout how long an unused pooled connection stays open
     * @param headerLimits request heads over {@code request} are 431; response heads over {@code response} are 502
     *     {@code http_response_header_section_size}
     */
    public record Settings(String proxyName, int maxConnectionsPerOrigin, int maxQueuedPerOrigin,
                           Duration connectTimeoutCeiling, Duration poolIdleTimeout, HeaderLimits headerLimits) {
        public Settings {
            Objects.requireNonNull(proxyName, "proxyName");
            if (proxyName.isEmpty() || !proxyName.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != ',')) {
                throw new IllegalArgumentException("proxyName must be a token usable in Via: '" + proxyName + "'");
            }
            if (maxConnectionsPerOrigin < 1 || maxQueuedPerOrigin < 1) {
                throw new IllegalArgumentException("connection and queue limits must be at least 1");
            }
            Objects.requireNonNull(connectTimeoutCeiling, "connectTimeoutCeiling");
            Objects.requireNonNull(poolIdleTimeout, "poolIdleTimeout");
            Objects.requireNonNull(headerLimits, "headerLimits");
        }

        /** 64 connections and 1024 queued requests per origin, connects within 30 s, pooled connections idle 60 s. */
        public static Settings defaults(String proxyName) {
            return new Settings(proxyName, 64, 1024, Duration.ofSeconds(30), Duration.ofSeconds(60),
                    HeaderLimits.DEFAULT);
        }
    }

    private OriginForwarder(HttpClient client, LoopOrigins loops, String proxyName, HeaderLimits limits) {
        this.client = client;
        this.loops = loops;
        this.proxyName = proxyName;
        this.limits = limits;
    }

    /** Creates and starts the shared client. */
    public static OriginForwarder start(Settings settings) throws Exception {
        return start(settings, null, null);
    }

    /** Creates and starts the clients, cleartext HTTP/1.1 on loops of their own; see below for {@code egress}. */
    public static OriginForwarder start(Settings settings, EgressPolicy egress) throws Exception {
        return start(settings, egress, null);
    }

    /**
     * Creates and starts a client whose every connection goes only where {@code egress} allows, checked on the
     * addresses it connects to (direct egress); null for none (origins of attached agents, which may be private, and
     * whose checked addresses, {@link OriginConfig#addresses()}, are used as they are). Cleartext HTTP/1.1 runs on
     * {@code loops} (NIO event loops; null: a group of its own), HTTP/2 and TLS on Jetty's client.
     */
    public static OriginForwarder start(Settings settings, EgressPolicy egress, EventLoopGroup loops)
            throws Exception {
        ClientConnector connector = new ClientConnector();
        // Sized to the cores, as the listeners' pool is: the client never blocks a thread, and Jetty's 200 let bursts
        // grow it to dozens of threads on two cores.
        int cores = Runtime.getRuntime().availableProcessors();
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(16, 8 * cores), Math.min(8, 2 * cores));
        threads.setName("origin-client");
        connector.setExecutor(threads);
        connector.setConnectTimeout(settings.connectTimeoutCeiling());
        HTTP2Client h2 = new HTTP2Client(connector);
        h2.setInitialStreamRecvWindow(H2_STREAM_WINDOW);
        h2.setInitialSessionRecvWindow(H2_SESSION_WINDOW);
        HttpClient client = new HttpClient(new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11,
                new ClientConnectionFactoryOverHTTP2.HTTP2(h2)));
        // A proxy passes messages on as they are: no redirects followed, no cookies kept, no User-Agent or
        // Content-Type of its own, no content decoded.
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(null);
        client.setDefaultRequestContentType(null);
        client.setMaxConnectionsPerDestination(settings.maxConnectionsPerOrigin());
        client.setMaxRequestsQueuedPerDestination(settings.maxQueuedPerOrigin());
        client.setConnectTimeout(settings.connectTimeoutCeiling().toMillis());
        client.setIdleTimeout(settings.poolIdleTimeout().toMillis());
        // The edge's limits (HeaderLimits), plus room for the fields the edge and this hop add: never less than what
        // the edge took.
        client.setRequestBufferSize(settings.headerLimits().request() + 2 * HeaderLimits.ADDED);
        // Jetty's parser bounds memory only (over it: http_protocol_error); the exchange applies the limit itself.
        client.setMaxResponseHeadersSize(4 * settings.headerLimits().response());
        SocketAddressResolver names;
        if (egress != null) {
            names = new PolicyResolver(egress, threads);
            client.setSocketAddressResolver(names);
        } else {
            Scheduler scheduler = new ScheduledExecutorScheduler("origin-client-scheduler", false);
            client.setScheduler(scheduler);
            names = new SocketAddressResolver.Async(threads, scheduler, client.getAddressResolutionTimeout());
            client.setSocketAddressResolver(new PinnedResolver(names));
        }
        client.start();
        client.getContentDecoderFactories().clear();
        // The defaults would answer 401/407 and follow 3xx themselves; only the 1xx handlers stay.
        ProtocolHandlers handlers = client.getProtocolHandlers();
        handlers.clear();
        handlers.put(new ContinueProtocolHandler());
        handlers.put(new ProcessingProtocolHandler());
        handlers.put(new EarlyHints());
        LoopOrigins loopClient = new LoopOrigins(loops, names, egress != null, settings,
                4 * settings.headerLimits().response());
        return new OriginForwarder(client, loopClient, settings.proxyName(), settings.headerLimits());
    }

    /** The loop client's counters since start, each name under {@code prefix} (see {@link LoopOrigins#counters}). */
    public java.util.Map<String, Long> counters(String prefix) {
        return loops.counters(prefix);
    }

    /** The shared client, for other outbound calls of the gateway (e.g. fetching agent cards). */
    public HttpClient httpClient() {
        return client;
    }

    /** Forwards to {@code origin.base()} + the exchange's own path and query, without a Forwarded field. */
    public CompletableFuture<Void> forward(Exchange exchange, OriginConfig origin) {
        return forward(exchange, origin, exchange.request().path(), false);
    }

    /**
     * Forwards one exchange and answers it through its response sink.
     *
     * @param path path and query (origin form, as sent) appended to the origin's base path; under a base path, its
     *     dot segments are removed and one that would climb out of the base path is answered 400
     * @param forwarded whether to add an RFC 7239 {@code Forwarded} element describing the agent
     * @return completes when the response was passed on in full; completes exceptionally after the sink was failed
     */
    public CompletableFuture<Void> forward(Exchange exchange, OriginConfig origin, String path, boolean forwarded) {
        RequestInfo info = exchange.request();
        String basePath = origin.base().getRawPath();
        if (basePath != null && !basePath.isEmpty() && !basePath.equals("/")) {
            // A skill mapped onto a path at its origin: whatever the edge did, nothing leaves that path here.
            RequestPath.Result confined = RequestPath.confined(path);
            if (confined instanceof RequestPath.Rejected rejected) return refuse(exchange, rejected.failure());
            path = ((RequestPath.Normalized) confined).target();
        }
        // What the edge accepted, plus the fields the edge added (Via, Forwarded): this hop adds its own after.
        int headSize = HeaderLimits.requestHeadSize(info.method(), path, info.headers().lines());
        int max = limits.request() + HeaderLimits.ADDED;
        if (headSize > max) {
            return refuse(exchange, new HttpFailure(431, ProxyErrorType.HTTP_REQUEST_ERROR,
                    "request header section of " + headSize + " bytes exceeds the limit of " + max));
        }
        if (!origin.h2c() && "http".equalsIgnoreCase(origin.base().getScheme())) {
            return forwardOnLoop(exchange, origin, path, forwarded);
        }
        OriginTimers timers = new OriginTimers(OriginTimers.WHEEL, origin);
        AgentRequestContent content = AgentRequestContent.of(info, exchange.body(), timers::activity);
        long backstop = origin.idleTimeout().plus(origin.firstByteTimeout()).toMillis();
        Request request = OriginTarget.newRequest(client, origin.base(), path)
                .method(info.method())
                .version(origin.h2c() ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1)
                .followRedirects(false)
                // The exchange's own timers fire first; this only catches what they cannot see.
                .idleTimeout(backstop, TimeUnit.MILLISECONDS)
                .headers(h -> OriginHeaders.toOrigin(info, proxyName, forwarded, h::add))
                .headers(h -> OriginHeaders.authority(info, origin, h::put));
        if (!origin.addresses().isEmpty()) request.tag(new PinnedResolver.Pin(origin.addresses()));
        if (content != null) {
            request.body(content);
            // HTTP/1.1 carries trailers only in chunked content (RFC 9112 §7.1.2), HTTP/2 always (RFC 9113 §8.1).
            if (content.getLength() < 0 || origin.h2c()) request.trailersSupplier(content::trailers);
        }
        OriginExchange ox = new OriginExchange(request, exchange, content, timers, proxyName,
                limits.response());
        request.attribute(OriginExchange.class.getName(), ox);
        return ox.send();
    }

    /** HTTP/1.1 over cleartext: on a loop of {@link LoopOrigins}, the caller's own when it runs on one. */
    private CompletableFuture<Void> forwardOnLoop(Exchange exchange, OriginConfig origin, String path,
                                                 boolean forwarded) {
        RequestInfo info = exchange.request();
        URI base = origin.base();
        String target = OriginTarget.join(base.getRawPath(), path);
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c == 0x7F) { // would end or split the request line (RFC 9112 §3)
                return refuse(exchange, new HttpFailure(400, ProxyErrorType.HTTP_REQUEST_ERROR,
                        "the request target holds a space or control character"));
            }
        }
        HttpHeaders headers = REQUEST_HEADERS.newHeaders();
        HttpMethod method;
        try {
            method = HttpMethod.valueOf(info.method());
            // As Jetty's client writes it: the port only when it is not http's default (RFC 9110 §7.2).
            String authority = base.getRawAuthority();
            headers.add(HttpHeaderNames.HOST, base.getPort() == 80
                    ? authority.substring(0, authority.lastIndexOf(':')) : authority);
            OriginHeaders.toOrigin(info, proxyName, forwarded, headers::add);
            OriginHeaders.authority(info, origin, headers::set);
        } catch (IllegalArgumentException e) {
            return refuse(exchange, new HttpFailure(400, ProxyErrorType.HTTP_REQUEST_ERROR,
                    "the request cannot be written as HTTP/1.1: " + e.getMessage()));
        }
        OriginTimers timers = new OriginTimers(OriginTimers.WHEEL, origin);
        AgentRequestContent content = AgentRequestContent.of(info, exchange.body(), timers::activity);
        if (content != null && content.getLength() >= 0) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, content.getLength());
        } else if (content != null) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        String host = base.getHost();
        if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
        LoopOrigins.Key key = new LoopOrigins.Key(host, base.getPort() < 0 ? 80 : base.getPort(), origin.addresses());
        return new LoopOriginExchange(loops, key, loops.loopForCaller(),
                new DefaultHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, method, target, headers),
                content, timers, exchange.response(), proxyName, limits.response()).start();
    }

    /** Answers the exchange here, without the origin: its content is not wanted. */
    private static CompletableFuture<Void> refuse(Exchange exchange, HttpFailure failure) {
        exchange.body().abort(new IllegalStateException(failure.detail()));
        exchange.response().fail(failure);
        return CompletableFuture.failedFuture(new OriginException(failure));
    }

    /** Stops both clients: exchanges in flight fail. */
    @Override
    public void close() {
        LifeCycle.stop(client);
        loops.close();
    }

    /** Passes 103 Early Hints on to the agent (RFC 8297) instead of dropping them. */
    private static final class EarlyHints extends EarlyHintsProtocolHandler {
        @Override
        protected void onEarlyHints(Request request, HttpFields fields) {
            if (request.getAttributes().get(OriginExchange.class.getName()) instanceof OriginExchange ox) {
                ox.informational(103, fields);
            }
        }
    }
}
