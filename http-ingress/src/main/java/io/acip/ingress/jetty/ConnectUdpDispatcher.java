package io.acip.ingress.jetty;

import io.acip.capsule.masque.CapsuleProtocolHeader;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.UdpFlowListener;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Serves CONNECT-UDP (RFC 9298) on HTTP/1.1 (Upgrade, §3.2) and HTTP/2 (extended CONNECT, §3.4): checks the request,
 * hands a {@link JettyUdpFlow} to the handler, and answers as the handler says, whenever it says it. An accepted
 * flow is taken over the way CONNECT tunnels are: its {@link CapsuleFlowConnection} is the request's upgrade
 * connection, which Jetty installs on the socket (HTTP/1.1, after the 101) or on the stream's own endpoint (HTTP/2,
 * after the 200) once the response has left.
 */
final class ConnectUdpDispatcher {
    private final IngressHandler handler;
    private final IngressConfig config;
    private final Duration udpIdleTimeout;
    private final IngressCounters counters;
    private final Executor executor;
    private final ByteBufferPool pool;
    private final Scheduler scheduler;

    ConnectUdpDispatcher(IngressHandler handler, IngressConfig config, Duration udpIdleTimeout,
                         IngressCounters counters, Executor executor, ByteBufferPool pool, Scheduler scheduler) {
        this.handler = handler;
        this.config = config;
        this.udpIdleTimeout = udpIdleTimeout;
        this.counters = counters;
        this.executor = executor;
        this.pool = pool;
        this.scheduler = scheduler;
    }

    void handle(Request request, Response response, ExchangeCompletion completion) {
        ConnectUdpRequest parsed;
        try {
            parsed = ConnectUdpRequest.parse(request, config.connectUdpTemplate(), agent(request));
        } catch (RejectedRequest rejected) {
            refuse(request, response, completion, rejected.failure());
            return;
        }
        // An agent that goes away while the handler decides frees what was set up for it.
        request.addFailureListener(completion::fail);
        String version = RequestInfoReader.protocol(request.getConnectionMetaData().getHttpVersion());
        EndPoint endPoint = request.getTunnelSupport().getEndPoint(); // now: a late answer may find it recycled
        JettyUdpFlow flow = new JettyUdpFlow(parsed.connect(), version, new JettyUdpFlow.Answers() {
            @Override
            public CapsuleFlowConnection connection(UdpFlowListener listener) {
                return new CapsuleFlowConnection(endPoint, executor, pool, scheduler, udpIdleTimeout, counters,
                        listener);
            }

            @Override
            public void accept(CapsuleFlowConnection connection) {
                ConnectUdpDispatcher.this.accept(request, response, completion, connection);
            }

            @Override
            public void refuse(HttpFailure failure) {
                ConnectUdpDispatcher.this.refuse(request, response, completion, failure);
            }
        });
        try {
            handler.onConnectUdp(flow);
        } catch (RuntimeException e) {
            flow.refuse(new HttpFailure(500, ProxyErrorType.PROXY_INTERNAL_ERROR,
                    "the gateway failed on this CONNECT-UDP request"));
        }
    }

    /** Answers 101 / 200 with {@code Capsule-Protocol: ?1}; {@code connection} carries the flow from then on. */
    private void accept(Request request, Response response, ExchangeCompletion completion,
                        CapsuleFlowConnection connection) {
        counters.increment(UdpCounters.FLOWS_ACCEPTED);
        EofException gone = new EofException("the agent left before the CONNECT-UDP flow opened");
        if (completion.isDone()) {
            connection.abandon(gone);
            return;
        }
        try {
            if (isHttp1(request)) {
                // RFC 9298 §3.3: 101 with Upgrade: connect-udp (and Connection: Upgrade, RFC 9110 §7.8).
                response.setStatus(HttpStatus.SWITCHING_PROTOCOLS_101);
                response.getHeaders().put(HttpHeader.UPGRADE, ConnectUdpRequest.PROTOCOL);
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.UPGRADE.asString());
            } else {
                response.setStatus(HttpStatus.OK_200); // RFC 9298 §3.5: a 2xx, with no content-length (RFC 8441)
            }
            response.getHeaders().put(CapsuleProtocolHeader.NAME, CapsuleProtocolHeader.TRUE);
            request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, connection);
        } catch (RuntimeException e) {
            connection.abandon(e); // the request was recycled under us: the agent is gone
            return;
        }
        // Should Jetty never install the connection (the stream reset between the 200 and the upgrade), the
        // listener still hears of the end, after the connect timeout.
        scheduler.schedule(() -> {
            if (!connection.isOpened()) connection.abandon(gone);
        }, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!completion.succeed()) connection.abandon(gone);
    }

    private void refuse(Request request, Response response, ExchangeCompletion completion, HttpFailure failure) {
        counters.increment(UdpCounters.FLOWS_REFUSED);
        if (completion.isDone()) return;
        try {
            if (failure.status() == HttpStatus.METHOD_NOT_ALLOWED_405) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET"); // RFC 9110 §15.5.6
            }
            ProblemResponse.refuse(request, response, completion, config.proxyName(), failure);
        } catch (RuntimeException e) {
            completion.fail(e);
        }
    }

    private static boolean isHttp1(Request request) {
        HttpVersion v = request.getConnectionMetaData().getHttpVersion();
        return v != HttpVersion.HTTP_2 && v != HttpVersion.HTTP_3;
    }

    private static InetSocketAddress agent(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        return remote instanceof InterceptedOrigin origin ? origin.agent() : RequestInfoReader.inet(remote);
    }
}
