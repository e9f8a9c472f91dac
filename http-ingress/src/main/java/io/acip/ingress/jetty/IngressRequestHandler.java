package io.acip.ingress.jetty;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.RequestInfo;
import java.util.StringJoiner;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The one Jetty handler of every listener: CONNECT-UDP (HTTP/1.1 Upgrade or extended CONNECT) goes to the
 * {@link ConnectUdpDispatcher}, any other CONNECT to the {@link ConnectDispatcher}, anything else becomes an
 * exchange for the {@link IngressHandler}. Declared blocking (Jetty's default) because the handler's decisions may
 * take a lookup: Jetty then never runs it on a selector thread.
 */
final class IngressRequestHandler extends Handler.Abstract {
    private final IngressHandler handler;
    private final ConnectDispatcher connects;
    private final ConnectUdpDispatcher udp;
    private final String proxyName;
    private final boolean addVia;
    private final IngressCounters counters;

    IngressRequestHandler(IngressHandler handler, ConnectDispatcher connects, ConnectUdpDispatcher udp,
                          String proxyName, boolean addVia, IngressCounters counters) {
        this.handler = handler;
        this.connects = connects;
        this.udp = udp;
        this.proxyName = proxyName;
        this.addVia = addVia;
        this.counters = counters;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        ExchangeCompletion completion = new ExchangeCompletion(callback);
        if (ConnectUdpRequest.isConnectUdp(request)) {
            udp.handle(request, response, completion);
            return true;
        }
        String ambiguity = uriViolation(request);
        if (ambiguity != null) {
            counters.increment("ingress.rejected.400");
            ProblemResponse.refuse(request, response, completion, proxyName,
                    new HttpFailure(400, ProxyErrorType.HTTP_REQUEST_ERROR, ambiguity));
            return true;
        }
        if (HttpMethod.CONNECT.is(request.getMethod())) {
            connects.handle(request, response, completion);
            return true;
        }
        counters.increment("ingress.exchange.received");
        RequestInfo info;
        try {
            info = RequestInfoReader.read(request);
        } catch (IllegalArgumentException e) {
            counters.increment("ingress.exchange.malformed");
            ProblemResponse.write(response, proxyName, new HttpFailure(400, ProxyErrorType.HTTP_REQUEST_ERROR,
                    "malformed request head: " + e.getMessage()), Callback.from(completion::succeed, completion::fail));
            return true;
        }
        JettyResponseSink sink = new JettyResponseSink(request, response, completion, proxyName,
                addVia ? via(info.protocol()) : null, counters);
        // The agent resetting the stream or closing the connection ends the exchange here, whatever the handler does.
        request.addFailureListener(failure -> {
            if (completion.fail(failure)) counters.increment("ingress.exchange.client_failed");
        });
        JettyExchange exchange = new JettyExchange(info, new RequestBodySource(request, completion, counters), sink,
                completion);
        try {
            handler.onExchange(exchange);
        } catch (RuntimeException e) {
            counters.increment("ingress.exchange.handler_failed");
            sink.fail(new HttpFailure(500, ProxyErrorType.PROXY_INTERNAL_ERROR, "the gateway failed on this request"));
        }
        return true;
    }

    /**
     * What Jetty's default URI compliance would refuse (ambiguous segments and encodings), as it would say it; the
     * listeners' own check is off so that the refusal has the gateway's shape on HTTP/2 too. An encoded slash
     * ({@code %2F}) is left to the handler, which may be configured to keep it (as on HTTP/3).
     */
    private static String uriViolation(Request request) {
        HttpURI uri = request.getHttpURI();
        if (!uri.hasViolations()) return null;
        StringJoiner refused = new StringJoiner(", ");
        for (UriCompliance.Violation v : uri.getViolations()) {
            if (v == UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR) continue;
            if (!UriCompliance.DEFAULT.allows(v)) refused.add(v.getDescription());
        }
        return refused.length() == 0 ? null : refused.toString();
    }

    /** RFC 9110 §7.6.3: received-protocol (the version the agent spoke, "HTTP/" left out) and this gateway's name. */
    private String via(String protocol) {
        return protocol.substring(protocol.indexOf('/') + 1) + " " + proxyName;
    }
}
