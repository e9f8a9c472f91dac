package io.acip.node;

import io.acip.wire.ResetCode;

/** A local skill refuses a session; the initiator gets RESET with this code and detail. */
public final class SessionRefusedException extends Exception {
    public final ResetCode code;

    public SessionRefusedException(ResetCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }
}
