package io.acip.ingress.jetty;

import io.acip.ingress.HttpFailure;

/** A request refused while it was read: carries the answer, so the caller never re-decides the status. */
final class RejectedRequest extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient HttpFailure failure;

    RejectedRequest(HttpFailure failure) {
        super(failure.detail(), null, false, false);
        this.failure = failure;
    }

    HttpFailure failure() {
        return failure;
    }
}
