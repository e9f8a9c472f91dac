package io.acip.gateway.origin;

import io.acip.capsule.bhttp.Fields;
import io.acip.ingress.BodySource;
import io.acip.ingress.Exchange;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.ResponseSink;
import java.net.InetSocketAddress;

/** An exchange made of parts: a request head, a body source and a sink. Nothing here waits for its end. */
record TestExchange(RequestInfo request, BodySource body, ResponseSink response) implements Exchange {
    @Override
    public void onEnd(Runnable action) {
    }

    static RequestInfo request(String method, String path, String protocol, Fields headers) {
        return new RequestInfo(method, "http", "agent.example:8080", path, headers, protocol, RequestInfo.Form.ORIGIN,
                false, new InetSocketAddress("192.0.2.7", 50123), new InetSocketAddress("127.0.0.1", 8080));
    }

    static TestExchange of(String method, String path, Fields headers, BodySource body, ResponseSink sink) {
        return new TestExchange(request(method, path, "HTTP/1.1", headers), body, sink);
    }
}
