package io.acip.gateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.IndeterminateLengthEncoder;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.gateway.policy.Principal;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.Exchange;
import io.acip.node.LocalSkill;
import io.acip.node.Node;
import io.acip.node.Session;
import io.acip.node.SessionHandler;
import io.acip.node.SessionRequest;
import io.acip.wire.Exchanges;
import io.acip.wire.Limits;
import io.acip.wire.ResetCode;
import io.acip.wire.SkillName;
import io.acip.wire.Tlv;
import io.acip.wire.TlvType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions that carry sequences of exchanges (docs/acip-v0.md §13) over a real two-node fabric: reuse, peers that do
 * not offer or accept, concurrency, the bounds of a pool, a request the responder never read, and drain.
 */
class SessionPoolTest {
    private static final SkillName SKILL = new SkillName("demo/echo");
    private TwoNodes nodes;
    private Node edge;
    private Node far;

    @BeforeEach
    void start() throws Exception {
        nodes = new TwoNodes();
        edge = nodes.edge;
        far = nodes.far;
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    private void attach(LocalSkill skill) {
        nodes.serve(SKILL.value(), "echo-1", skill);
    }

    private SessionPool serve(PoolSettings settings, Consumer<Exchange> stage) {
        SessionPool farPool = new SessionPool(far, settings);
        BridgeConfig config = config(settings);
        attach(incoming -> farPool.serve(incoming, config, stage, () -> () -> { }));
        return farPool;
    }

    private static BridgeConfig config(PoolSettings settings) {
        BridgeConfig d = BridgeConfig.defaults("gw-test");
        return new BridgeConfig(d.proxyName(), Duration.ofSeconds(10), d.maxBufferedBytes(), d.limits(),
                d.streamIdleTimeout(), settings);
    }

    /** Answers with the method, path and how many body bytes it read. */
    private static void echo(Exchange ex) {
        int[] read = new int[1];
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            for (BodyChunk c; (c = ex.body().read()) != null; ) {
                read[0] += c.data().remaining();
                c.release();
                if (c.last()) {
                    byte[] answer = (ex.request().method() + " " + ex.request().path() + " " + read[0])
                            .getBytes(StandardCharsets.UTF_8);
                    ex.response().head(new ResponseHead(200, Fields.of("content-type", "text/plain")),
                            f -> ex.response().content(ByteBuffer.wrap(answer), true, g -> { }));
                    return;
                }
            }
            ex.body().demand(pump[0]);
        };
        pump[0].run();
    }

    private String exchange(SessionPool edgePool, String method, String path, byte[] body) throws Exception {
        MemoryExchange ex = send(edgePool, method, path, body);
        ResponseHead head = ex.head.get(10, TimeUnit.SECONDS);
        assertEquals(200, head.status());
        return new String(ex.content.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }

    private MemoryExchange send(SessionPool edgePool, String method, String path, byte[] body) {
        MemoryExchange ex = new MemoryExchange(method, path, Fields.of("host", "echo.demo.acip"),
                body.length == 0 ? List.of() : List.of(body));
        EdgeExchange.start(edgePool, ex, SKILL, path, config(PoolSettings.DEFAULT), List.of(), Principal.ANONYMOUS);
        return ex;
    }

    private long delivered() {
        return far.stats().get("acip.session.delivered");
    }

    @Test
    void successiveExchangesRideOneSession() throws Exception {
        serve(PoolSettings.DEFAULT, SessionPoolTest::echo);
        SessionPool edgePool = new SessionPool(edge, PoolSettings.DEFAULT);
        assertEquals("GET /a 0", exchange(edgePool, "GET", "/a", new byte[0]));
        assertEquals("POST /b 70000", exchange(edgePool, "POST", "/b", new byte[70_000]));
        assertEquals("GET /c 0", exchange(edgePool, "GET", "/c", new byte[0]));
        assertEquals(1, delivered(), "one session carried all three");
        assertEquals(1, edge.stats().get("gateway.pool.opened"));
        assertEquals(2, edge.stats().get("gateway.pool.reused"));
        assertEquals(1, edgePool.idleSessions());
    }

    @Test
    void aFarGatewayThatDoesNotAcceptServesOneExchangePerSession() throws Exception {
        serve(PoolSettings.OFF, SessionPoolTest::echo);
        SessionPool edgePool = new SessionPool(edge, PoolSettings.DEFAULT);
        for (int i = 0; i < 3; i++) assertEquals("GET /x 0", exchange(edgePool, "GET", "/x", new byte[0]));
        assertEquals(3, delivered());
        assertEquals(0, edge.stats().get("gateway.pool.reused"));
        assertEquals(0, edgePool.idleSessions());
    }

    @Test
    void anEdgeThatDoesNotOfferIsServedOneExchangePerSession() throws Exception {
        serve(PoolSettings.DEFAULT, SessionPoolTest::echo);
        SessionPool edgePool = new SessionPool(edge, PoolSettings.OFF);
        for (int i = 0; i < 3; i++) assertEquals("POST /x 5", exchange(edgePool, "POST", "/x", new byte[5]));
        assertEquals(3, delivered());
    }

    @Test
    void concurrentExchangesOpenSessionsOfTheirOwnThenShareThem() throws Exception {
        CompletableFuture<Void> answer = new CompletableFuture<>();
        AtomicInteger held = new AtomicInteger();
        serve(PoolSettings.DEFAULT, ex -> {
            held.incrementAndGet();
            answer.thenRun(() -> echo(ex));
        });
        SessionPool edgePool = new SessionPool(edge, PoolSettings.DEFAULT);
        List<MemoryExchange> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) first.add(send(edgePool, "GET", "/" + i, new byte[0]));
        await(() -> held.get() == 4);
        answer.complete(null);
        for (MemoryExchange ex : first) assertEquals(200, ex.head.get(10, TimeUnit.SECONDS).status());
        for (MemoryExchange ex : first) ex.content.get(10, TimeUnit.SECONDS);
        assertEquals(4, delivered(), "four at once: four sessions");
        assertEquals(4, edgePool.idleSessions());
        for (int i = 0; i < 4; i++) assertEquals("GET /again 0", exchange(edgePool, "GET", "/again", new byte[0]));
        assertEquals(4, delivered(), "later exchanges ride the sessions already there");
    }

    @Test
    void aSessionEndsAfterItsLastAllowedExchange() throws Exception {
        serve(PoolSettings.DEFAULT, SessionPoolTest::echo);
        PoolSettings d = PoolSettings.DEFAULT;
        SessionPool edgePool = new SessionPool(edge, new PoolSettings(true, d.idleTimeout(),
                d.responderIdleTimeout(), d.maxIdlePerKey(), d.maxIdle(), 2, d.maxAge()));
        for (int i = 0; i < 5; i++) assertEquals("GET /x 0", exchange(edgePool, "GET", "/x", new byte[0]));
        assertEquals(3, delivered(), "two exchanges per session");
    }

    @Test
    void anIdleSessionEndsAtHalfTheResponderIdleTimeout() throws Exception {
        PoolSettings d = PoolSettings.DEFAULT;
        serve(new PoolSettings(true, d.idleTimeout(), Duration.ofSeconds(1), d.maxIdlePerKey(), d.maxIdle(),
                d.maxExchanges(), d.maxAge()), SessionPoolTest::echo);
        SessionPool edgePool = new SessionPool(edge, PoolSettings.DEFAULT);
        exchange(edgePool, "GET", "/x", new byte[0]);
        assertEquals(1, edgePool.idleSessions());
        await(() -> edgePool.idleSessions() == 0 && sessions(far) == 0 && sessions(edge) == 0);
        exchange(edgePool, "GET", "/y", new byte[0]);
        assertEquals(2, delivered());
    }

    /** A route that changed (a hop added, a metric moved, a learned path) sends the next exchange the new way. */
    @Test
    void aChangedRouteRetiresTheSessionsRoutedTheOldWay() throws Exception {
        serve(PoolSettings.DEFAULT, SessionPoolTest::echo);
        SessionPool edgePool = new SessionPool(edge, PoolSettings.DEFAULT);
        exchange(edgePool, "GET", "/x", new byte[0]);
        exchange(edgePool, "GET", "/x", new byte[0]);
        assertEquals(1, delivered());
        edge.addRoute(0, new SkillName("demo"), new io.acip.routing.NextHop.Neighbour("far", 0, 2, "", java.util.Map.of()));
        exchange(edgePool, "GET", "/y", new byte[0]);
        assertEquals(2, delivered(), "a new session, routed by the new route");
        assertEquals(1, edge.stats().get("gateway.pool.rerouted"));
        exchange(edgePool, "GET", "/z", new byte[0]);
        assertEquals(2, delivered(), "and that one is pooled again");
    }

    @Test
    void drainEndsIdleSessionsAndTheNextExchangeOpensANewOne() throws Exception {
        SessionPool farPool = serve(PoolSettings.DEFAULT, SessionPoolTest::echo);
        SessionPool edgePool = new SessionPool(edge, PoolSettings.DEFAULT);
        exchange(edgePool, "GET", "/x", new byte[0]);
        farPool.drain(); // the far side ends its idle session with FIN; the edge answers and forgets it
        await(() -> edgePool.idleSessions() == 0 && sessions(far) == 0);
        assertEquals("GET /y 0", exchange(edgePool, "GET", "/y", new byte[0]));
        assertEquals(2, delivered());
        await(() -> sessions(far) == 0); // a draining far gateway serves one exchange per session
    }

    /**
     * §13.3: a responder that ends the session between exchanges never reads what crossed its FIN; the edge sends
     * that request again, whole, on a new session, and the agent sees only the answer.
     */
    @Test
    void aRequestTheResponderNeverReadGoesAgainOnANewSession() throws Exception {
        SessionPool farPool = new SessionPool(far, PoolSettings.DEFAULT);
        AtomicInteger sessionsSeen = new AtomicInteger();
        attach(incoming -> sessionsSeen.getAndIncrement() == 0 ? new EndsAfterOneResponse()
                : farPool.serve(incoming, config(PoolSettings.DEFAULT), SessionPoolTest::echo, () -> () -> { }));
        SessionPool edgePool = new SessionPool(edge, PoolSettings.DEFAULT);
        assertEquals("first", exchange(edgePool, "GET", "/one", new byte[0]));
        assertEquals("GET /two 0", exchange(edgePool, "GET", "/two", new byte[0]));
        assertEquals(1, edge.stats().get("gateway.pool.retried"));
        assertEquals(2, sessionsSeen.get());
    }

    /** Accepts a sequence, answers the first request, and ends the session as the second arrives, unread. */
    private static final class EndsAfterOneResponse implements SessionHandler {
        private int requests;

        @Override
        public List<Tlv> setupAckMetadata() {
            return List.of(Exchanges.accept(Duration.ofSeconds(60)));
        }

        @Override
        public void onData(Session s, ByteBuf data, boolean fin) {
            if (!data.isReadable() || requests++ > 0) {
                s.write(Unpooled.EMPTY_BUFFER, true);
                return;
            }
            IndeterminateLengthEncoder e = IndeterminateLengthEncoder.forResponse();
            ResponseHead head = new ResponseHead(200, Fields.EMPTY);
            ByteBuffer body = ByteBuffer.wrap("first".getBytes(StandardCharsets.US_ASCII));
            ByteBuffer b = ByteBuffer.allocate(e.headSize(head) + IndeterminateLengthEncoder.chunkSize(5)
                    + IndeterminateLengthEncoder.endSize(Fields.EMPTY, 0));
            e.writeHead(b, head);
            e.writeChunk(b, body);
            e.writeEnd(b, Fields.EMPTY, 0);
            s.write(Unpooled.wrappedBuffer(b.flip()), false);
        }

        @Override
        public void onReset(Session s, ResetCode code, String detail) {
        }
    }

    /** §13.3: a response complete before its request ends the session; the agent gets the response all the same. */
    @Test
    void aResponseBeforeTheWholeRequestStandsAndTheSessionIsNotReused() throws Exception {
        serve(PoolSettings.DEFAULT, ex -> {
            if (ex.request().path().equals("/early")) {
                ex.response().head(new ResponseHead(413, Fields.of("content-length", "0")),
                        f -> ex.response().content(ByteBuffer.allocate(0), true, g -> { }));
            } else {
                echo(ex);
            }
        });
        SessionPool edgePool = new SessionPool(edge, PoolSettings.DEFAULT);
        MemoryExchange early = new MemoryExchange("POST", "/early", Fields.of("host", "echo.demo.acip"),
                List.of(new byte[1000]), false); // the agent never finishes its body
        EdgeExchange.start(edgePool, early, SKILL, "/early", config(PoolSettings.DEFAULT), List.of(),
                Principal.ANONYMOUS);
        assertEquals(413, early.head.get(10, TimeUnit.SECONDS).status());
        early.content.get(10, TimeUnit.SECONDS);
        assertEquals(0, edgePool.idleSessions(), "a session with half a request in it carries nothing more");
        assertEquals("GET /next 0", exchange(edgePool, "GET", "/next", new byte[0]));
        assertEquals(2, delivered());
    }

    @Test
    void poolKeysSeparateWhatTheResponderDecidesOnButNotTheTrace() {
        SessionRequest a = SessionRequest.stream(SKILL, "http://10.0.0.1", Tlv.ofVarInt(TlvType.TENANT, 7),
                Tlv.ofString(TlvType.TRACEPARENT, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        SessionRequest sameButTrace = SessionRequest.stream(SKILL, "http://10.0.0.1", Tlv.ofVarInt(TlvType.TENANT, 7),
                Tlv.ofString(TlvType.TRACEPARENT, "00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-01"));
        assertEquals(SessionPool.Key.of(a), SessionPool.Key.of(sameButTrace));
        assertNotEquals(SessionPool.Key.of(a), SessionPool.Key.of(SessionRequest.stream(SKILL, "http://10.0.0.2",
                Tlv.ofVarInt(TlvType.TENANT, 7))), "another initiator");
        assertNotEquals(SessionPool.Key.of(a), SessionPool.Key.of(SessionRequest.stream(SKILL, "http://10.0.0.1",
                Tlv.ofVarInt(TlvType.TENANT, 8))), "another tenant");
        SessionRequest attested = new SessionRequest(SKILL, "https://idp/alice", false, List.of(),
                Limits.DEFAULT_HOP_LIMIT).attested(List.of("ops"));
        assertNotEquals(SessionPool.Key.of(attested), SessionPool.Key.of(attested.attested(List.of("ops", "admin"))),
                "other groups");
    }

    private static int sessions(Node n) {
        return n.activeSessions().join();
    }

    /** Waits, bounded, for a state the nodes reach on their own loops. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not reached within 10 s");
            Thread.sleep(10);
        }
    }

    /** A session that left by a less preferred next hop is a fallback: after a while the preferred one is tried again. */
    @Test
    void aSessionOverALessPreferredHopIsAFallback() {
        io.acip.routing.Route route = new io.acip.routing.Route(new SkillName("demo"), List.of(
                new io.acip.routing.NextHop.Neighbour("a", 0, 1, "", java.util.Map.of()),
                new io.acip.routing.NextHop.Neighbour("b", 1, 1, "", java.util.Map.of())));
        assertTrue(PooledSession.fallback(route, List.of("edge", "b", "far")));
        assertEquals(false, PooledSession.fallback(route, List.of("edge", "a", "far")));
        assertEquals(false, PooledSession.fallback(route, List.of("edge")), "a local skill");
        assertEquals(false, PooledSession.fallback(null, List.of("edge", "b")), "no route any more: routed anew");
    }
}
