package io.acip.gateway.bridge;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.HttpFailure;
import io.acip.wire.ResetCode;

/** The HTTP answer for a session the fabric reset before a response arrived (RFC 9209 error types). */
public final class ResetAnswers {
    private ResetAnswers() {
    }

    public static HttpFailure forReset(ResetCode code, String detail) {
        return switch (code) {
            case SKILL_UNREACHABLE -> new HttpFailure(502, ProxyErrorType.DESTINATION_NOT_FOUND, detail);
            case POLICY_DENIED, PAYLOAD_PROTOCOL_REFUSED -> new HttpFailure(403, ProxyErrorType.HTTP_REQUEST_DENIED, detail);
            case HOP_LIMIT_EXCEEDED -> new HttpFailure(502, ProxyErrorType.PROXY_LOOP_DETECTED, detail);
            case NO_CAPACITY -> new HttpFailure(503, ProxyErrorType.CONNECTION_LIMIT_REACHED, detail);
            case TIMEOUT -> new HttpFailure(504, ProxyErrorType.CONNECTION_TIMEOUT, detail);
            case DESTINATION_UNAVAILABLE -> new HttpFailure(503, ProxyErrorType.DESTINATION_UNAVAILABLE, detail);
            case LINK_DOWN, CANCELLED -> new HttpFailure(502, ProxyErrorType.CONNECTION_TERMINATED, detail);
            case AUTHENTICATION_FAILED -> new HttpFailure(502, ProxyErrorType.TLS_CERTIFICATE_ERROR, detail);
            case PROTOCOL_VIOLATION, UNSUPPORTED_TLV -> new HttpFailure(502, ProxyErrorType.HTTP_PROTOCOL_ERROR, detail);
            // The node retries a refused resumption with a full handshake, so that code reaching here is a bug.
            case INTERNAL, RESUMPTION_REFUSED -> new HttpFailure(502, ProxyErrorType.PROXY_INTERNAL_ERROR, detail);
        };
    }
}
