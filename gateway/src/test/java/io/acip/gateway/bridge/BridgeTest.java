package io.acip.gateway.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.gateway.policy.Principal;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.Exchange;
import io.acip.ingress.HttpFailure;
import io.acip.wire.SkillName;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP exchanges over a two-node fabric through the bridge, with an in-memory agent and origin stage. */
class BridgeTest {
    private static final BridgeConfig CONFIG = BridgeConfig.defaults("gw-test");
    private TwoNodes nodes;
    private SessionPool edgePool;
    private SessionPool farPool;

    @BeforeEach
    void start() throws Exception {
        nodes = new TwoNodes();
        edgePool = new SessionPool(nodes.edge, CONFIG.pool());
        farPool = new SessionPool(nodes.far, CONFIG.pool());
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    private void serve(String skill, Consumer<Exchange> stage) {
        nodes.serve(skill, skill, incoming -> farPool.serve(incoming, CONFIG, stage, () -> () -> { }));
    }

    /** A stage that answers with the request line and the whole body it read. */
    private static void echo(Exchange ex) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            for (BodyChunk c; (c = ex.body().read()) != null; ) {
                byte[] b = new byte[c.data().remaining()];
                c.data().get(b);
                body.writeBytes(b);
                c.release();
                if (c.last()) {
                    byte[] answer = (ex.request().method() + " " + ex.request().path() + " host="
                            + ex.request().headers().first("host").orElse("-") + " via="
                            + ex.request().headers().first("via").orElse("-") + " body=" + body.size())
                            .getBytes(StandardCharsets.UTF_8);
                    ex.response().head(new ResponseHead(200, Fields.of("content-type", "text/plain",
                            "connection", "close")), f -> ex.response().content(ByteBuffer.wrap(answer), true, g -> { }));
                    return;
                }
            }
            ex.body().demand(pump[0]);
        };
        pump[0].run();
    }

    @Test
    void requestAndResponseCrossTheFabric() throws Exception {
        serve("demo/echo", BridgeTest::echo);
        byte[] big = new byte[300_000];
        MemoryExchange ex = new MemoryExchange("POST", "/upload?x=1", Fields.of("host", "echo.demo.acip",
                "connection", "keep-alive"), List.of(big, big));
        EdgeExchange.start(edgePool, ex, new SkillName("demo/echo"), "/upload?x=1", CONFIG, List.of(), Principal.ANONYMOUS);
        ResponseHead head = ex.head.get(10, TimeUnit.SECONDS);
        assertEquals(200, head.status());
        assertEquals("edge,far", head.fields().first(EdgeExchange.TRAJECTORY_HEADER).orElseThrow());
        assertTrue(head.fields().first("connection").isEmpty(), "hop-by-hop removed");
        assertEquals("1.1 gw-test", head.fields().first("via").orElseThrow());
        String answer = new String(ex.content.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        assertEquals("POST /upload?x=1 host=echo.demo.acip via=1.1 gw-test body=600000", answer);
    }

    @Test
    void aSmallResponseReachesTheAgentInOneWrite() throws Exception {
        serve("demo/echo", BridgeTest::echo);
        MemoryExchange ex = new MemoryExchange("GET", "/small", Fields.EMPTY, List.of());
        EdgeExchange.start(edgePool, ex, new SkillName("demo/echo"), "/small", CONFIG, List.of(), Principal.ANONYMOUS);
        assertEquals(200, ex.head.get(10, TimeUnit.SECONDS).status());
        assertTrue(new String(ex.content.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8).startsWith("GET /small "));
        // The far gateway sends head, content and end in one packet; the edge hands them on together.
        assertEquals(1, ex.writes.get(), "head, content and end in one write");
    }

    @Test
    void anOriginsEndlessEarlyHintsAreCutAtTheLimit() throws Exception {
        serve("demo/hints", ex -> {
            for (int i = 0; i < 1000; i++) { // hints take no write completion: nothing else would hold them back
                ex.response().informational(new ResponseHead(103, Fields.of("link", "</s" + i + ".css>; rel=preload")));
            }
            ex.response().head(new ResponseHead(200, Fields.EMPTY), f -> ex.response().content(
                    ByteBuffer.wrap("ok".getBytes(StandardCharsets.UTF_8)), true, g -> { }));
        });
        MemoryExchange ex = new MemoryExchange("GET", "/", Fields.EMPTY, List.of());
        EdgeExchange.start(edgePool, ex, new SkillName("demo/hints"), "/", CONFIG, List.of(), Principal.ANONYMOUS);
        assertEquals("ok", new String(ex.content.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        assertEquals(Bhttp.MAX_INFORMATIONAL, ex.informational.get());
    }

    @Test
    void unknownSkillIsA502NamingTheCause() throws Exception {
        MemoryExchange ex = new MemoryExchange("GET", "/", Fields.EMPTY, List.of());
        EdgeExchange.start(edgePool, ex, new SkillName("demo/missing"), "/", CONFIG, List.of(), Principal.ANONYMOUS);
        HttpFailure f = ex.failure.get(10, TimeUnit.SECONDS);
        assertEquals(502, f.status());
        assertEquals(ProxyErrorType.DESTINATION_NOT_FOUND, f.error());
        assertTrue(f.detail().contains("demo/missing"), f.detail());
    }

    @Test
    void farStageFailureBecomesAnHttpErrorFromTheFarGateway() throws Exception {
        serve("demo/down", ex -> ex.response().fail(new HttpFailure(502, ProxyErrorType.CONNECTION_REFUSED,
                "origin 127.0.0.1:1 refused the connection")));
        MemoryExchange ex = new MemoryExchange("GET", "/", Fields.EMPTY, List.of());
        EdgeExchange.start(edgePool, ex, new SkillName("demo/down"), "/", CONFIG, List.of(), Principal.ANONYMOUS);
        ResponseHead head = ex.head.get(10, TimeUnit.SECONDS);
        assertEquals(502, head.status());
        assertTrue(head.fields().first("proxy-status").orElseThrow().contains("error=connection_refused"));
        String body = new String(ex.content.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        assertTrue(body.contains("\"status\":502"), body);
    }

    @Test
    void streamedResponseArrivesPieceByPiece() throws Exception {
        java.util.concurrent.CompletableFuture<Void> secondMayGo = new java.util.concurrent.CompletableFuture<>();
        serve("demo/sse", ex -> ex.response().head(new ResponseHead(200, Fields.of("content-type",
                "text/event-stream")), f -> ex.response().content(ByteBuffer.wrap("data: 1\n\n".getBytes()), false,
                g -> secondMayGo.thenRun(() -> ex.response().content(ByteBuffer.wrap("data: 2\n\n".getBytes()),
                        true, h -> { })))));
        MemoryExchange ex = new MemoryExchange("GET", "/", Fields.EMPTY, List.of());
        EdgeExchange.start(edgePool, ex, new SkillName("demo/sse"), "/", CONFIG, List.of(), Principal.ANONYMOUS);
        assertEquals(200, ex.head.get(10, TimeUnit.SECONDS).status());
        // The first event arrives while the stage still holds the second.
        ex.firstContent.get(10, TimeUnit.SECONDS);
        assertTrue(!ex.content.isDone());
        secondMayGo.complete(null);
        assertArrayEquals("data: 1\n\ndata: 2\n\n".getBytes(), ex.content.get(10, TimeUnit.SECONDS));
        assertTrue(ex.writes.get() >= 2, "the first event did not wait for the second");
    }
}
