package io.acip.gateway.origin;

import io.acip.ingress.HttpFailure;
import java.io.IOException;

/**
 * A failure the forwarder itself decided (its timers, a bad request body, an unusable origin response), carrying the
 * answer it calls for so that nothing downstream re-decides the status.
 */
final class OriginException extends IOException {
    private final transient HttpFailure failure;

    OriginException(HttpFailure failure) {
        super(failure.error().token() + ": " + failure.detail());
        this.failure = failure;
    }

    OriginException(HttpFailure failure, Throwable cause) {
        this(failure);
        initCause(cause);
    }

    HttpFailure failure() {
        return failure;
    }
}
