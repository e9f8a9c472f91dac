package io.acip.capsule.bhttp;

import java.util.Objects;

/**
 * A response's status and header section (RFC 9292 §3.5): the final response when the status is 200 to 599, an
 * informational response when it is 100 to 199.
 */
public record ResponseHead(int status, Fields fields) {
    public ResponseHead {
        Objects.requireNonNull(fields, "fields");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status out of 100..599 (RFC 9292 §3.5): " + status);
        }
    }

    public ResponseHead(int status) {
        this(status, Fields.EMPTY);
    }

    /** RFC 9292 §3.5.1: 100 to 199, repeated before the final response. */
    public boolean isInformational() {
        return status < 200;
    }
}
