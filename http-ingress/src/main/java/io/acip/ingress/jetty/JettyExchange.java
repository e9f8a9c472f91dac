package io.acip.ingress.jetty;

import io.acip.ingress.BodySource;
import io.acip.ingress.Exchange;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.ResponseSink;

/** One request accepted by a Jetty listener, as the protocol-neutral {@link Exchange}. */
record JettyExchange(RequestInfo request, BodySource body, ResponseSink response, ExchangeCompletion completion)
        implements Exchange {
    @Override
    public void onEnd(Runnable action) {
        completion.end().add(action);
    }
}
