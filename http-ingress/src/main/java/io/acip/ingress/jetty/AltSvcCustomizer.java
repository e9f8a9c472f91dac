package io.acip.ingress.jetty;

import java.util.function.IntSupplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Advertises the HTTP/3 listener on every response of the TCP listeners (RFC 7838 Alt-Svc, RFC 9114 §3.1.1):
 * {@code h3=":<port>"; ma=86400}, the port read when the request comes, since it is known only once bound.
 */
final class AltSvcCustomizer implements HttpConfiguration.Customizer {
    private static final long MAX_AGE_SECONDS = 86_400;

    private final IntSupplier port;

    AltSvcCustomizer(IntSupplier port) {
        this.port = port;
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        int p = port.getAsInt();
        if (p > 0) responseHeaders.put(HttpHeader.ALT_SVC, "h3=\":" + p + "\"; ma=" + MAX_AGE_SECONDS);
        return request;
    }
}
