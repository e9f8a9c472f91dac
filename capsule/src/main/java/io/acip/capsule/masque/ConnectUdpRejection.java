package io.acip.capsule.masque;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.capsule.proxystatus.ProxyStatus;
import java.util.Objects;

/**
 * A CONNECT-UDP request refused before any socket is opened: the HTTP status to answer with and the Proxy-Status
 * error (RFC 9209 §2.3) and details to send with it, so the caller never re-decides either.
 */
public record ConnectUdpRejection(int httpStatus, ProxyErrorType errorType, String details) implements ConnectUdpMatch {
    public ConnectUdpRejection {
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("not an error status: " + httpStatus);
        }
        Objects.requireNonNull(errorType, "errorType");
        Objects.requireNonNull(details, "details");
    }

    /** 400 with {@code http_request_error}: the request reached the template's resource but is malformed. */
    static ConnectUdpRejection badRequest(String details) {
        return new ConnectUdpRejection(400, ProxyErrorType.HTTP_REQUEST_ERROR, details);
    }

    /** 404 with {@code http_request_error}: the request path is not one this template describes. */
    static ConnectUdpRejection notFound(String details) {
        return new ConnectUdpRejection(404, ProxyErrorType.HTTP_REQUEST_ERROR, details);
    }

    /** The Proxy-Status member to send, e.g. {@code acip-gw; error=http_request_error; details="..."}. */
    public ProxyStatus toProxyStatus(String proxyName) {
        return ProxyStatus.of(proxyName).withError(errorType).withDetails(details);
    }
}
