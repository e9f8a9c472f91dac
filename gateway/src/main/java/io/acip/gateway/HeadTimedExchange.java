package io.acip.gateway;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import io.acip.ingress.BodySource;
import io.acip.ingress.Exchange;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.ResponseSink;
import io.acip.ingress.WriteCallback;
import java.nio.ByteBuffer;

/**
 * An exchange on its way to an origin, timed from here to the response head the origin forwarder passes back: the
 * origin latency a far gateway announces for the instance (LATENCY_MS, docs/acip-v0.md §12.3). Failures are not
 * timed: a refused connection is quick, and must not look like a fast instance.
 */
final class HeadTimedExchange implements Exchange, ResponseSink {
    private final Exchange exchange;
    private final InstanceLoad load;
    private final long start = System.nanoTime();

    HeadTimedExchange(Exchange exchange, InstanceLoad load) {
        this.exchange = exchange;
        this.load = load;
    }

    @Override
    public RequestInfo request() {
        return exchange.request();
    }

    @Override
    public BodySource body() {
        return exchange.body();
    }

    @Override
    public ResponseSink response() {
        return this;
    }

    @Override
    public void onEnd(Runnable action) {
        exchange.onEnd(action);
    }

    @Override
    public void informational(ResponseHead head) {
        exchange.response().informational(head);
    }

    @Override
    public void head(ResponseHead head, WriteCallback done) {
        load.latency(System.nanoTime() - start);
        exchange.response().head(head, done);
    }

    @Override
    public void content(ByteBuffer data, boolean last, WriteCallback done) {
        exchange.response().content(data, last, done);
    }

    @Override
    public void trailers(Fields trailers, WriteCallback done) {
        exchange.response().trailers(trailers, done);
    }

    @Override
    public void fail(HttpFailure failure) {
        exchange.response().fail(failure);
    }

    @Override
    public boolean committed() {
        return exchange.response().committed();
    }
}
