package io.acip.ingress.jetty;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.HttpFailure;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers what Jetty refuses before any handler runs (bad request line 400, header section too large 431, ...)
 * in the same shape as the gateway's own errors: Proxy-Status plus a problem document, never an HTML page. A 5xx
 * names no cause: its message may hold internals.
 */
final class ProblemErrorHandler extends ErrorHandler {
    private final String proxyName;
    private final IngressCounters counters;

    ProblemErrorHandler(String proxyName, IngressCounters counters) {
        this.proxyName = proxyName;
        this.counters = counters;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        counters.increment("ingress.rejected." + code);
        boolean client = code >= 400 && code < 500;
        String reason = HttpStatus.getMessage(code);
        String detail = client && message != null && !message.isBlank() ? message : reason;
        HttpFailure failure = new HttpFailure(code,
                client ? ProxyErrorType.HTTP_REQUEST_ERROR : ProxyErrorType.PROXY_INTERNAL_ERROR, detail);
        ProblemResponse.write(response, proxyName, failure, callback);
    }
}
