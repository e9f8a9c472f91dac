package io.acip.ingress;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.capsule.proxystatus.ProxyErrorType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The exchange routes every listener's test handler answers, by path: {@code /fail-before} (fails with
 * {@link #FAILURE} before the head), {@code /fail-after} (after some content), {@code /hints} (103 then 204),
 * {@code /throw} (the handler throws), anything else echoed: the request head in {@code x-echo-*} fields, the body
 * streamed back by {@link EchoPump}.
 */
public final class TestExchanges {
    public static final HttpFailure FAILURE = new HttpFailure(502, ProxyErrorType.CONNECTION_REFUSED,
            "upstream \"skill\" refused\nthe connection");

    private TestExchanges() {
    }

    public static void serve(Exchange exchange) {
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

    public static ByteBuffer ascii(String s) {
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
