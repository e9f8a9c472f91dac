package io.acip.ingress;

import io.acip.capsule.proxystatus.ProxyErrorType;

/**
 * An error answer (RFC 9209 Proxy-Status, RFC 9457 problem details): the status, the Proxy-Status error type and
 * a human detail. The listener renders it as {@code Proxy-Status: <gateway>; error=<type>; details="..."} and an
 * {@code application/problem+json} body.
 */
public record HttpFailure(int status, ProxyErrorType error, String detail) {
}
