package io.acip.gateway.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.gateway.GatewayMetrics;
import io.acip.gateway.http.RequestPath.EscapedSlashes;
import io.acip.ingress.BodyChunk;
import io.acip.ingress.BodySource;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.Exchange;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.ResponseSink;
import io.acip.ingress.Tunnel;
import io.acip.ingress.TunnelDecision;
import io.acip.ingress.WriteCallback;
import io.acip.node.NodeStats;
import io.acip.wire.SkillName;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stage that normalizes paths before mapping, on any HTTP version (HTTP/3 has no listener check of its own). */
class PathNormalizationTest {
    private final SkillMapper mapper = new SkillMapper("acip", "/skills/", List.of());
    private final GatewayMetrics metrics = new GatewayMetrics(new NodeStats());
    private RequestInfo seen;

    private final IngressHandler next = new IngressHandler() {
        @Override
        public void onExchange(Exchange exchange) {
            seen = exchange.request();
        }

        @Override
        public TunnelDecision onConnect(ConnectRequest request) {
            throw new AssertionError();
        }

        @Override
        public void onTunnel(Tunnel tunnel) {
            throw new AssertionError();
        }
    };

    {
        mapper.register(new SkillName("plain/echo"));
    }

    private HttpFailure send(EscapedSlashes mode, RequestInfo.Form form, String host, String path) {
        Failing sink = new Failing();
        RequestInfo info = new RequestInfo("GET", "http", host, path, Fields.EMPTY, "HTTP/3", form, false,
                new InetSocketAddress("127.0.0.1", 1), null);
        new PathNormalization(next, mapper, mode, metrics).onExchange(new Exchange() {
            public RequestInfo request() {
                return info;
            }

            public BodySource body() {
                return sink;
            }

            public ResponseSink response() {
                return sink;
            }

            public void onEnd(Runnable action) {
            }
        });
        return sink.failure;
    }

    @Test
    void dotSegmentsGoBeforeMapping() {
        assertNull(send(EscapedSlashes.REJECT, RequestInfo.Form.ORIGIN, "gw", "/skills/plain/echo/a/%2e%2e/b?x=/../"));
        assertEquals("/skills/plain/echo/b?x=/../", seen.path());
        assertEquals(1, metrics.get("gateway.request.path_normalized"));
    }

    @Test
    void climbingAndEncodedSlashesAre400() {
        assertEquals(400, send(EscapedSlashes.REJECT, RequestInfo.Form.ORIGIN, "echo.plain.acip", "/../x").status());
        assertEquals(400, send(EscapedSlashes.REJECT, RequestInfo.Form.ORIGIN, "gw", "/skills/plain/echo/a%2Fb")
                .status());
        assertEquals(400, send(EscapedSlashes.REJECT, RequestInfo.Form.TUNNELLED, "echo.plain.acip", "/a%5cb")
                .status());
        assertNull(seen, "nothing was passed on");
        assertEquals(3, metrics.get("gateway.request.path_refused"));
    }

    @Test
    void keepPassesEncodedSlashesOn() {
        assertNull(send(EscapedSlashes.KEEP, RequestInfo.Form.ORIGIN, "echo.plain.acip", "/a%2Fb/./c"));
        assertEquals("/a%2Fb/c", seen.path());
    }

    @Test
    void whatTheListenerKnewOfTheRequestStays() {
        Failing sink = new Failing();
        Object tunnel = new Object();
        RequestInfo info = new RequestInfo("GET", "https", "echo.plain.acip", "/a/../b", Fields.EMPTY, "HTTP/1.1",
                RequestInfo.Form.TUNNELLED, true, new InetSocketAddress("127.0.0.1", 1), null, List.of(), tunnel);
        new PathNormalization(next, mapper, EscapedSlashes.REJECT, metrics).onExchange(new Exchange() {
            public RequestInfo request() {
                return info;
            }

            public BodySource body() {
                return sink;
            }

            public ResponseSink response() {
                return sink;
            }

            public void onEnd(Runnable action) {
            }
        });
        assertEquals("/b", seen.path());
        assertEquals(tunnel, seen.tunnel(), "the CONNECT's caller travels with the request");
        assertEquals(true, seen.secure());
    }

    @Test
    void directEgressTargetsGoOnAsSent() {
        assertNull(send(EscapedSlashes.REJECT, RequestInfo.Form.ABSOLUTE, "example.com", "/a/../b%2Fc"));
        assertEquals("/a/../b%2Fc", seen.path());
        assertEquals(400, send(EscapedSlashes.REJECT, RequestInfo.Form.ABSOLUTE, "echo.plain.acip", "/a%2Fb").status());
    }

    /** Request body and response sink that only note a refusal. */
    private static final class Failing implements BodySource, ResponseSink {
        HttpFailure failure;

        public BodyChunk read() {
            return null;
        }

        public void demand(Runnable onAvailable) {
        }

        public void abort(Throwable cause) {
        }

        public void informational(ResponseHead head) {
        }

        public void head(ResponseHead head, WriteCallback done) {
            throw new AssertionError();
        }

        public void content(ByteBuffer data, boolean last, WriteCallback done) {
            throw new AssertionError();
        }

        public void trailers(Fields trailers, WriteCallback done) {
            throw new AssertionError();
        }

        public void fail(HttpFailure f) {
            failure = f;
        }

        public boolean committed() {
            return failure != null;
        }
    }
}
