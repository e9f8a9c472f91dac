package io.acip.ingress.h3;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.EchoPump;
import io.acip.ingress.Exchange;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.Tunnel;
import io.acip.ingress.TunnelDecision;
import io.acip.ingress.UdpFlow;
import io.acip.ingress.UdpFlowListener;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The HTTP/3 tests' gateway. Exchanges by path: {@code /fail-before}, {@code /fail-after}, {@code /hints},
 * {@code /throw}, anything else echoed (head in {@code x-echo-*} fields, body streamed back chunk by chunk, trailers
 * echoed plus {@code x-server-trailer}). UDP flows by host: {@code blocked.example} refused with 403
 * destination_ip_prohibited, {@code deferred.example} parked in {@link #deferred} for the test to answer,
 * anything else accepted with an echo listener that reports how it closed in {@link #closes}.
 */
final class H3TestHandler implements IngressHandler {
    static final HttpFailure FAILURE = new HttpFailure(502, ProxyErrorType.CONNECTION_REFUSED,
            "upstream \"skill\" refused\nthe connection");
    static final HttpFailure PROHIBITED = new HttpFailure(403, ProxyErrorType.DESTINATION_IP_PROHIBITED,
            "the target is not allowed");

    final LinkedBlockingQueue<UdpFlow> deferred = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<UdpFlow> flows = new LinkedBlockingQueue<>();
    /** How accepted flows ended: the cause, or the string "clean". */
    final LinkedBlockingQueue<Object> closes = new LinkedBlockingQueue<>();

    @Override
    public void onExchange(Exchange exchange) {
        String path = exchange.request().path();
        if (path.startsWith("/fail-before")) {
            exchange.response().fail(FAILURE);
        } else if (path.startsWith("/fail-after")) {
            exchange.response().head(new ResponseHead(200, Fields.of("content-type", "text/plain")), f ->
                    exchange.response().content(ascii("partial"), false, g -> exchange.response().fail(FAILURE)));
        } else if (path.startsWith("/hints")) {
            exchange.response().informational(new ResponseHead(103, Fields.of("link", "</style.css>; rel=preload")));
            exchange.response().head(new ResponseHead(204), f -> exchange.response().content(ascii(""), true, g -> { }));
        } else if (path.startsWith("/throw")) {
            throw new IllegalStateException("a gateway bug");
        } else {
            echo(exchange);
        }
    }

    @Override
    public TunnelDecision onConnect(ConnectRequest request) {
        return new TunnelDecision.Refuse(new HttpFailure(403, ProxyErrorType.HTTP_REQUEST_DENIED, "no tunnels"));
    }

    @Override
    public void onTunnel(Tunnel tunnel) {
        tunnel.abort(new IllegalStateException("no tunnels"));
    }

    @Override
    public void onConnectUdp(UdpFlow flow) {
        String host = flow.request().host();
        if (host.equals("blocked.example")) {
            flow.refuse(PROHIBITED);
        } else if (host.equals("deferred.example")) {
            deferred.add(flow);
        } else {
            acceptEcho(flow);
        }
    }

    void acceptEcho(UdpFlow flow) {
        flows.add(flow);
        flow.accept(new UdpFlowListener() {
            @Override
            public void onDatagram(ByteBuffer payload) {
                flow.send(payload);
            }

            @Override
            public void onClose(Throwable cause) {
                closes.add(cause == null ? "clean" : cause);
            }
        });
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void echo(Exchange exchange) {
        RequestInfo r = exchange.request();
        List<String> names = new ArrayList<>();
        for (Field f : r.headers().lines()) names.add(f.name());
        Fields head = Fields.of("content-type", "application/octet-stream",
                "x-echo-method", r.method(), "x-echo-scheme", r.scheme(), "x-echo-authority", r.authority(),
                "x-echo-path", r.path(), "x-echo-form", r.form().name(), "x-echo-protocol", r.protocol(),
                "x-echo-secure", String.valueOf(r.secure()), "x-echo-header-names", String.join(",", names),
                "x-echo-remote", String.valueOf(r.remote()), "x-echo-local", String.valueOf(r.local()));
        exchange.response().head(new ResponseHead(200, head), f -> {
            if (f == null) new EchoPump(exchange).pump();
        });
    }
}
