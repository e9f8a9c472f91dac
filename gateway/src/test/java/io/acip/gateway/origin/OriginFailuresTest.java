package io.acip.gateway.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.HttpFailure;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** RFC 9209 §2.3: each way forwarding can fail, and the error type and status it is answered with. */
class OriginFailuresTest {
    private static void assertAnswer(Throwable t, boolean sent, boolean begun, int status, ProxyErrorType type) {
        HttpFailure f = OriginFailures.classify(t, sent, begun);
        assertEquals(type, f.error(), t.toString());
        assertEquals(status, f.status(), t.toString());
    }

    @Test
    void dnsFailureIsDnsError() {
        assertAnswer(new UnknownHostException("x.invalid"), false, false, 502, ProxyErrorType.DNS_ERROR);
    }

    @Test
    void refusedConnectIsConnectionRefused() {
        assertAnswer(new ConnectException("Connection refused"), false, false, 502,
                ProxyErrorType.CONNECTION_REFUSED);
    }

    @Test
    void unroutableIsDestinationIpUnroutable() {
        assertAnswer(new NoRouteToHostException(), false, false, 502, ProxyErrorType.DESTINATION_IP_UNROUTABLE);
    }

    @Test
    void connectTimeoutIsConnectionTimeout() {
        assertAnswer(new SocketTimeoutException("Connect Timeout"), false, false, 504,
                ProxyErrorType.CONNECTION_TIMEOUT);
    }

    @Test
    void fullQueueIsConnectionLimitReached() {
        assertAnswer(new RejectedExecutionException("Max requests queued"), false, false, 503,
                ProxyErrorType.CONNECTION_LIMIT_REACHED);
    }

    @Test
    void silenceAfterTheRequestIsResponseTimeout() {
        assertAnswer(new TimeoutException("idle"), true, false, 504, ProxyErrorType.HTTP_RESPONSE_TIMEOUT);
    }

    @Test
    void silenceDuringTheRequestIsWriteTimeout() {
        assertAnswer(new TimeoutException("idle"), false, false, 504, ProxyErrorType.CONNECTION_WRITE_TIMEOUT);
    }

    @Test
    void closeBeforeTheResponseIsConnectionTerminated() {
        assertAnswer(new EOFException(), true, false, 502, ProxyErrorType.CONNECTION_TERMINATED);
    }

    @Test
    void closeDuringTheResponseIsResponseIncomplete() {
        assertAnswer(new IOException("reset"), true, true, 502, ProxyErrorType.HTTP_RESPONSE_INCOMPLETE);
    }

    @Test
    void untrustedCertificateIsTlsCertificateError() {
        SSLHandshakeException e = new SSLHandshakeException("PKIX path building failed");
        e.initCause(new java.security.cert.CertificateException("untrusted"));
        assertAnswer(e, false, false, 502, ProxyErrorType.TLS_CERTIFICATE_ERROR);
    }

    @Test
    void theForwardersOwnDecisionWinsWhereverItIsInTheChain() {
        OriginException own = new OriginException(OriginFailures.answer(ProxyErrorType.HTTP_RESPONSE_TIMEOUT, "t"));
        assertAnswer(new IOException("aborted", own), false, false, 504, ProxyErrorType.HTTP_RESPONSE_TIMEOUT);
    }

    @Test
    void anythingElseIsAnInternalError() {
        assertAnswer(new IllegalStateException("bug"), false, false, 500, ProxyErrorType.PROXY_INTERNAL_ERROR);
    }
}
