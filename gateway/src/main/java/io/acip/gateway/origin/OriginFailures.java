package io.acip.gateway.origin;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.gateway.egress.DestinationProhibitedException;
import io.acip.ingress.HttpFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.http.HttpException;

/** Maps what went wrong on the way to an origin to the RFC 9209 Proxy-Status error type and status that says so. */
public final class OriginFailures {
    private OriginFailures() {
    }

    /**
     * @param requestSent whether the request went out in full (a timeout after it is the origin's silence)
     * @param responseBegun whether the origin had started its response (a close after it leaves it incomplete)
     */
    public static HttpFailure classify(Throwable failure, boolean requestSent, boolean responseBegun) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            HttpFailure known = known(t, requestSent);
            if (known != null) return known;
            if (t.getCause() == t) break;
        }
        if (failure instanceof IOException) {
            // EOF, reset, closed channel: the origin went away (RFC 9209 §2.3.8 before the response, §2.3.18 during).
            return responseBegun
                    ? answer(ProxyErrorType.HTTP_RESPONSE_INCOMPLETE, "origin closed the response before its end")
                    : answer(ProxyErrorType.CONNECTION_TERMINATED, "origin closed the connection before answering");
        }
        return answer(ProxyErrorType.PROXY_INTERNAL_ERROR, "forwarding failed: " + failure.getClass().getSimpleName());
    }

    /** A response head over {@code max} bytes is the origin's fault: 502 {@code http_response_header_section_size}. */
    static void checkHeadSize(int size, int max) throws OriginException {
        if (size > max) {
            throw new OriginException(answer(ProxyErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE,
                    "origin's response header section of " + size + " bytes exceeds the limit of " + max));
        }
    }

    static HttpFailure answer(ProxyErrorType type, String detail) {
        return new HttpFailure(type.recommendedStatus().orElse(502), type, detail);
    }

    private static HttpFailure known(Throwable t, boolean requestSent) {
        if (t instanceof OriginException e) return e.failure();
        if (t instanceof DestinationProhibitedException e) return e.failure();
        if (t instanceof UnknownHostException) {
            return answer(ProxyErrorType.DNS_ERROR, "origin host name does not resolve");
        }
        if (t instanceof SocketTimeoutException) {
            return answer(ProxyErrorType.CONNECTION_TIMEOUT, "no connection to the origin in time");
        }
        if (t instanceof NoRouteToHostException) {
            return answer(ProxyErrorType.DESTINATION_IP_UNROUTABLE, "no route to the origin");
        }
        if (t instanceof io.netty.channel.ConnectTimeoutException) { // a ConnectException too, but no refusal
            return answer(ProxyErrorType.CONNECTION_TIMEOUT, "no connection to the origin in time");
        }
        if (t instanceof ConnectException) {
            return answer(ProxyErrorType.CONNECTION_REFUSED, "origin refused the connection");
        }
        if (t instanceof RejectedExecutionException) {
            return answer(ProxyErrorType.CONNECTION_LIMIT_REACHED, "too many requests queued for the origin");
        }
        if (t instanceof TimeoutException) {
            return requestSent
                    ? answer(ProxyErrorType.HTTP_RESPONSE_TIMEOUT, "origin did not answer in time")
                    : answer(ProxyErrorType.CONNECTION_WRITE_TIMEOUT, "origin stopped reading the request");
        }
        if (t instanceof HttpResponseException || t instanceof HttpException) {
            return answer(ProxyErrorType.HTTP_PROTOCOL_ERROR, "origin response is not valid HTTP");
        }
        if (t instanceof SSLException) {
            return hasCause(t, CertificateException.class)
                    ? answer(ProxyErrorType.TLS_CERTIFICATE_ERROR, "origin certificate not trusted")
                    : answer(ProxyErrorType.TLS_PROTOCOL_ERROR, "TLS with the origin failed");
        }
        return null;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) return true;
            if (c.getCause() == c) break;
        }
        return false;
    }
}
