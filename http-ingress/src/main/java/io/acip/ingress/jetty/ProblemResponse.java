package io.acip.ingress.jetty;

import io.acip.capsule.proxystatus.ProxyStatus;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.ProblemDocument;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes a {@link ProblemDocument} as a whole Jetty response. */
final class ProblemResponse {
    private ProblemResponse() {
    }

    /** Sets status and fields on an uncommitted response and writes the document as its whole content. */
    static void write(Response response, String proxyName, HttpFailure failure, Callback callback) {
        int status = ProblemDocument.status(failure);
        byte[] body = ProblemDocument.json(failure).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(ProxyStatus.FIELD_NAME, ProblemDocument.proxyStatus(proxyName, failure));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemDocument.MEDIA_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
        failure.fields().lines().forEach(f -> response.getHeaders().add(f.name(), f.value()));
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /**
     * Refuses a request the handler never saw (a tunnel, a flow, an ambiguous URI) and ends the exchange.
     * Over HTTP/1.x the connection closes after it: bytes the agent already sent for the tunnel would otherwise be
     * parsed as the next request.
     */
    static void refuse(Request request, Response response, ExchangeCompletion completion, String proxyName,
                             HttpFailure failure) {
        if (completion.isDone()) return;
        HttpVersion version = request.getConnectionMetaData().getHttpVersion();
        if (version != HttpVersion.HTTP_2 && version != HttpVersion.HTTP_3) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        write(response, proxyName, failure, Callback.from(completion::succeed, completion::fail));
    }
}
