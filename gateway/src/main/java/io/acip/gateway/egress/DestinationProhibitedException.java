package io.acip.gateway.egress;

import io.acip.ingress.HttpFailure;
import java.io.IOException;

/** A connection the egress policy refused while resolving its host, with the answer the refusal calls for. */
public final class DestinationProhibitedException extends IOException {
    private final transient HttpFailure failure;

    public DestinationProhibitedException(HttpFailure failure) {
        super(failure.error().token() + ": " + failure.detail());
        this.failure = failure;
    }

    public HttpFailure failure() {
        return failure;
    }
}
