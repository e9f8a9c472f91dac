package io.acip.gateway;

import io.acip.ingress.BodySource;
import io.acip.ingress.Exchange;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.ResponseSink;

/** An exchange that goes on with a changed request head (a credential the gateway consumed taken out). */
record ForwardedExchange(Exchange original, RequestInfo request) implements Exchange {
    @Override
    public BodySource body() {
        return original.body();
    }

    @Override
    public ResponseSink response() {
        return original.response();
    }

    @Override
    public void onEnd(Runnable action) {
        original.onEnd(action);
    }
}
