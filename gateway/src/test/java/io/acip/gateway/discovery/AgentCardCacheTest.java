package io.acip.gateway.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.bhttp.Fields;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.BodySource;
import io.acip.ingress.Exchange;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.ResponseSink;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The far gateway's card cache: fresh cards served from memory, stale ones revalidated, validators honoured. */
class AgentCardCacheTest {
    private static final String CARD = "{\"url\":\"http://127.0.0.1/a2a\"}";
    private final List<String> conditional = new CopyOnWriteArrayList<>();
    private volatile String cacheControl = "max-age=0";
    private volatile int status = 200;
    private Server origin;
    private ServerConnector connector;
    private HttpClient client;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private AgentCardCache cache;

    @BeforeEach
    void start() throws Exception {
        origin = new Server();
        connector = new ServerConnector(origin);
        connector.setHost("127.0.0.1");
        origin.addConnector(connector);
        origin.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String inm = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
                conditional.add(inm == null ? "-" : inm);
                response.getHeaders().put(HttpHeader.ETAG, "\"v1\"");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, cacheControl);
                if ("\"v1\"".equals(inm)) {
                    response.setStatus(304);
                    callback.succeeded();
                    return true;
                }
                response.setStatus(status);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, java.nio.ByteBuffer.wrap(CARD.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        origin.start();
        client = new HttpClient();
        client.start();
        cache = new AgentCardCache(client, now::get);
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        origin.stop();
    }

    private int port;

    private URI card() {
        if (port == 0) port = connector.getLocalPort();
        return URI.create("http://127.0.0.1:" + port + "/a2a/.well-known/agent-card.json");
    }

    private CardRewritingSinkTest.Recorder serve(Fields headers) throws Exception {
        CardRewritingSinkTest.Recorder out = new CardRewritingSinkTest.Recorder();
        CountDownLatch done = new CountDownLatch(1);
        ResponseSink sink = new ResponseSink() {
            public void informational(io.acip.capsule.bhttp.ResponseHead h) {
            }

            public void head(io.acip.capsule.bhttp.ResponseHead h, io.acip.ingress.WriteCallback cb) {
                out.head(h, cb);
            }

            public void content(java.nio.ByteBuffer d, boolean last, io.acip.ingress.WriteCallback cb) {
                out.content(d, last, cb);
                if (last) done.countDown();
            }

            public void trailers(Fields t, io.acip.ingress.WriteCallback cb) {
                out.trailers(t, cb);
                done.countDown();
            }

            public void fail(io.acip.ingress.HttpFailure f) {
                out.fail(f);
                done.countDown();
            }

            public boolean committed() {
                return out.committed();
            }
        };
        RequestInfo r = new RequestInfo("GET", "http", "a2a.demo.acip", "/.well-known/agent-card.json", headers,
                RequestInfo.BHTTP, RequestInfo.Form.ORIGIN, false, new InetSocketAddress("127.0.0.1", 1), null);
        cache.serve(exchange(r, sink), card(), URI.create("http://127.0.0.1/a2a"));
        assertTrue(done.await(10, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void aStaleCardIsRevalidatedAndAnUnchangedOneCostsA304() throws Exception {
        CardRewritingSinkTest.Recorder first = serve(Fields.EMPTY);
        assertEquals(200, first.head.status());
        assertEquals(CARD, first.body.toString(StandardCharsets.UTF_8));
        assertEquals("http://127.0.0.1/a2a", first.head.fields().first(AgentCardPaths.AGENT_BASE_FIELD).orElseThrow());
        CardRewritingSinkTest.Recorder second = serve(Fields.EMPTY);
        assertEquals(CARD, second.body.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("-", "\"v1\""), conditional, "the second fetch carried the validator");
    }

    @Test
    void aFreshCardIsServedFromMemoryUntilItsMaxAge() throws Exception {
        cacheControl = "max-age=60";
        serve(Fields.EMPTY);
        serve(Fields.EMPTY);
        assertEquals(1, conditional.size());
        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        serve(Fields.EMPTY);
        assertEquals(List.of("-", "\"v1\""), conditional);
    }

    @Test
    void theAgentsOwnValidatorIsAnswered304() throws Exception {
        CardRewritingSinkTest.Recorder r = serve(Fields.of("if-none-match", "W/\"v1\""));
        assertEquals(304, r.head.status());
        assertEquals(0, r.body.size());
    }

    @Test
    void anOriginWithoutACardIsRelayedAndTheGatewayDownIsNamed() throws Exception {
        status = 404;
        CardRewritingSinkTest.Recorder r = serve(Fields.EMPTY);
        assertEquals(404, r.head.status());
        assertTrue(r.head.fields().first(AgentCardPaths.AGENT_BASE_FIELD).isEmpty());
        origin.stop();
        cache = new AgentCardCache(client, now::get);
        CardRewritingSinkTest.Recorder down = serve(Fields.EMPTY);
        assertNull(down.head);
        assertEquals(502, down.failure.status());
        // A new connection is refused; one the client still pooled when the origin went is terminated.
        assertTrue(java.util.Set.of("connection_refused", "connection_terminated").contains(
                down.failure.error().token()), down.failure.toString());
    }

    @Test
    void maxAgeIsBounded() {
        assertEquals(0, AgentCardCache.maxAge(null));
        assertEquals(0, AgentCardCache.maxAge("no-cache, max-age=60"));
        assertEquals(60, AgentCardCache.maxAge("public, max-age=60"));
        assertEquals(AgentCardCache.MAX_FRESH_SECONDS, AgentCardCache.maxAge("max-age=999999"));
    }

    private static Exchange exchange(RequestInfo r, ResponseSink sink) {
        return new Exchange() {
            public RequestInfo request() {
                return r;
            }

            public BodySource body() {
                return new BodySource() {
                    public BodyChunk read() {
                        return null;
                    }

                    public void demand(Runnable onAvailable) {
                    }

                    public void abort(Throwable cause) {
                    }
                };
            }

            public ResponseSink response() {
                return sink;
            }

            public void onEnd(Runnable action) {
            }
        };
    }
}
