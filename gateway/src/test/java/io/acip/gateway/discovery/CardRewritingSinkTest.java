package io.acip.gateway.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.ingress.BodySource;
import io.acip.ingress.Exchange;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.ResponseSink;
import io.acip.ingress.WriteCallback;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The edge's card response: collected, rewritten to the base the agent used, and passed on with its new length. */
class CardRewritingSinkTest {
    private static final String CARD = "{\"url\":\"http://10.0.0.5:9000/a2a\",\"name\":\"n\"}";

    @Test
    void requestBaseForEachForm() {
        assertEquals("http://127.0.0.1:8080/skills/demo/a2a", AgentCardPaths.requestBase(request("http",
                "127.0.0.1:8080", "/skills/demo/a2a/.well-known/agent-card.json"), "/.well-known/agent-card.json"));
        assertEquals("http://a2a.demo.acip", AgentCardPaths.requestBase(request("http", "a2a.demo.acip",
                "/.well-known/agent.json?x=1"), "/.well-known/agent.json?x=1"));
        assertEquals("https://a2a.demo.acip", AgentCardPaths.requestBase(request("https", "a2a.demo.acip",
                "/.well-known/agent-card.json"), "/.well-known/agent-card.json"));
        assertTrue(AgentCardPaths.isCardRequest("GET", "/.well-known/agent.json?v=1"));
        assertFalse(AgentCardPaths.isCardRequest("POST", "/.well-known/agent-card.json"));
        assertFalse(AgentCardPaths.isCardRequest("GET", "/x/.well-known/agent-card.json"));
    }

    @Test
    void aCardInPiecesIsRewrittenWhole() {
        Recorder out = new Recorder();
        ResponseSink sink = wrap(out);
        sink.head(new ResponseHead(200, Fields.of("content-type", "application/json", "content-length", "46",
                "etag", "\"v1\"", AgentCardPaths.AGENT_BASE_FIELD, "http://10.0.0.5:9000/a2a")), ok());
        byte[] b = CARD.getBytes(StandardCharsets.UTF_8);
        sink.content(ByteBuffer.wrap(b, 0, 10), false, ok());
        assertEquals(null, out.head, "nothing goes out before the card is whole");
        sink.content(ByteBuffer.wrap(b, 10, b.length - 10), true, ok());
        String body = out.body.toString(StandardCharsets.UTF_8);
        assertEquals("{\"url\":\"https://a2a.demo.acip\",\"name\":\"n\"}", body);
        assertEquals(Integer.toString(body.length()), out.head.fields().first("content-length").orElseThrow());
        assertEquals("\"v1\"", out.head.fields().first("etag").orElseThrow());
        assertTrue(out.head.fields().first(AgentCardPaths.AGENT_BASE_FIELD).isEmpty());
        assertTrue(out.last);
    }

    @Test
    void withoutABaseOrNot200ItPassesThrough() {
        Recorder out = new Recorder();
        ResponseSink sink = wrap(out);
        sink.head(new ResponseHead(304, Fields.of("etag", "\"v1\"", AgentCardPaths.AGENT_BASE_FIELD, "http://x/")),
                ok());
        assertEquals(304, out.head.status());
        assertTrue(out.head.fields().first(AgentCardPaths.AGENT_BASE_FIELD).isEmpty());

        Recorder plain = new Recorder();
        ResponseSink s2 = wrap(plain);
        s2.head(new ResponseHead(200, Fields.of("content-length", "46")), ok());
        s2.content(ByteBuffer.wrap(CARD.getBytes(StandardCharsets.UTF_8)), true, ok());
        assertEquals(CARD, plain.body.toString(StandardCharsets.UTF_8), "an old far gateway's card is left alone");
    }

    @Test
    void aCardTooLargeFailsCleanly() {
        Recorder out = new Recorder();
        ResponseSink sink = wrap(out);
        sink.head(new ResponseHead(200, Fields.of(AgentCardPaths.AGENT_BASE_FIELD, "http://10.0.0.5:9000/a2a")), ok());
        Throwable[] seen = new Throwable[1];
        sink.content(ByteBuffer.allocate(AgentCardCache.MAX_CARD_BYTES + 1), false, f -> seen[0] = f);
        assertEquals(502, out.failure.status());
        assertTrue(seen[0] != null);
    }

    private static ResponseSink wrap(Recorder out) {
        RequestInfo r = request("https", "a2a.demo.acip", "/.well-known/agent-card.json");
        Exchange ex = new Exchange() {
            public RequestInfo request() {
                return r;
            }

            public BodySource body() {
                return null;
            }

            public ResponseSink response() {
                return out;
            }

            public void onEnd(Runnable action) {
            }
        };
        return CardRewritingSink.wrap(ex, "/.well-known/agent-card.json").response();
    }

    private static WriteCallback ok() {
        return f -> {
            if (f != null) throw new AssertionError(f);
        };
    }

    static RequestInfo request(String scheme, String authority, String path) {
        return new RequestInfo("GET", scheme, authority, path, Fields.EMPTY, "HTTP/1.1", RequestInfo.Form.ORIGIN,
                false, new InetSocketAddress("127.0.0.1", 1), null);
    }

    /** Records what reaches the agent. */
    static final class Recorder implements ResponseSink {
        ResponseHead head;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean last;
        HttpFailure failure;

        public void informational(ResponseHead h) {
        }

        public void head(ResponseHead h, WriteCallback done) {
            head = h;
            done.done(null);
        }

        public void content(ByteBuffer data, boolean l, WriteCallback done) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            body.writeBytes(b);
            last = l;
            done.done(null);
        }

        public void trailers(Fields t, WriteCallback done) {
            last = true;
            done.done(null);
        }

        public void fail(HttpFailure f) {
            failure = f;
        }

        public boolean committed() {
            return head != null;
        }
    }
}
