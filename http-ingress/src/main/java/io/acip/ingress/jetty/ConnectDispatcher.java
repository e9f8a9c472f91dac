package io.acip.ingress.jetty;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.TunnelDecision;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.TunnelSupport;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Serves a plain CONNECT (RFC 9110 §9.3.6) over HTTP/1.1 or HTTP/2: parses the target, asks the handler how to
 * serve it, then refuses, splices to a direct connection, hands the tunnel to the handler, or splices it to the
 * interception listener. A tunnel is taken over the same way for both versions: the connection that carries it is
 * set as the request's upgrade connection and Jetty installs it on the tunnel's endpoint after the 200 has left
 * (for HTTP/2 that endpoint is the stream's own, since {@code Request.read()} returns nothing for a CONNECT).
 */
final class ConnectDispatcher {
    private final IngressHandler handler;
    private final IngressConfig config;
    private final IngressCounters counters;
    private final DirectDialer dialer;
    private final InterceptConnector interceptor; // null when interception is impossible
    private final Executor executor;
    private final ByteBufferPool pool;
    private final Scheduler scheduler;

    ConnectDispatcher(IngressHandler handler, IngressConfig config, IngressCounters counters, DirectDialer dialer,
                      InterceptConnector interceptor, Executor executor, ByteBufferPool pool, Scheduler scheduler) {
        this.handler = handler;
        this.config = config;
        this.counters = counters;
        this.dialer = dialer;
        this.interceptor = interceptor;
        this.executor = executor;
        this.pool = pool;
        this.scheduler = scheduler;
    }

    void handle(Request request, Response response, ExchangeCompletion completion) {
        counters.increment("ingress.connect.received");
        TunnelSupport tunnel = request.getTunnelSupport();
        if (tunnel == null || tunnel.getProtocol() != null) {
            // Extended CONNECT (RFC 8441) for a protocol other than connect-udp, which never reaches here.
            String protocol = tunnel == null ? null : tunnel.getProtocol();
            refuse(request, response, completion, new HttpFailure(HttpStatus.NOT_IMPLEMENTED_501,
                    ProxyErrorType.HTTP_REQUEST_ERROR, protocol == null
                    ? "this CONNECT cannot be tunnelled on this listener"
                    : "extended CONNECT for protocol '" + protocol + "' is not supported by this gateway"));
            return;
        }
        ConnectTarget target;
        try {
            target = ConnectTarget.parse(request.getHttpURI().getAuthority());
        } catch (RejectedRequest rejected) {
            counters.increment("ingress.connect.malformed");
            refuse(request, response, completion, rejected.failure());
            return;
        }
        ConnectRequest connect;
        try {
            connect = new ConnectRequest(target.host(), target.port(), HeaderFields.fromJetty(request.getHeaders()),
                    RequestInfoReader.protocol(request.getConnectionMetaData().getHttpVersion()), agent(request),
                    RequestInfoReader.clientCertificates(request), RequestInfoReader.tunnel(request));
        } catch (IllegalArgumentException e) {
            refuse(request, response, completion,
                    new HttpFailure(400, ProxyErrorType.HTTP_REQUEST_ERROR, "malformed header field"));
            return;
        }
        // An agent that goes away while the tunnel is being decided or set up frees what was set up for it.
        request.addFailureListener(completion::fail);
        TunnelDecision decision;
        try {
            decision = handler.onConnect(connect);
        } catch (RuntimeException e) {
            counters.increment("ingress.connect.handler_failed");
            decision = null;
        }
        if (decision instanceof TunnelDecision.Pending pending) {
            counters.increment("ingress.connect.pending");
            pending.decision().whenComplete((later, failure) -> executor.execute(() -> serve(request, response,
                    completion, tunnel, target, connect, failure != null
                            || later instanceof TunnelDecision.Pending ? null : later)));
            return;
        }
        serve(request, response, completion, tunnel, target, connect, decision);
    }

    /** Serves the CONNECT as decided; null (the handler failed) is 500. */
    private void serve(Request request, Response response, ExchangeCompletion completion, TunnelSupport tunnel,
                       ConnectTarget target, ConnectRequest connect, TunnelDecision decision) {
        if (decision instanceof TunnelDecision.Refuse refused) {
            counters.increment("ingress.connect.refused");
            refuse(request, response, completion, refused.failure());
        } else if (decision instanceof TunnelDecision.Direct direct) {
            direct(request, response, completion, direct.address());
        } else if (decision instanceof TunnelDecision.Carry carry) {
            counters.increment("ingress.connect.carried");
            CarriedTunnel carried = new CarriedTunnel(tunnel.getEndPoint(), executor, pool,
                    config.tunnelBufferSize(), config.tunnelIdleTimeout().toMillis(), connect, carry.attachment(),
                    handler, counters);
            EofException gone = new EofException("the agent left before the tunnel opened");
            whenNeverOpened(carried::handedOver, () -> carried.abandon(gone));
            if (!accept(request, response, completion, carried)) carried.abandon(gone);
        } else if (decision instanceof TunnelDecision.Intercept intercept) {
            intercept(request, response, completion, target, intercept.attachment());
        } else {
            refuse(request, response, completion, new HttpFailure(500, ProxyErrorType.PROXY_INTERNAL_ERROR,
                    "the gateway could not decide how to serve this CONNECT"));
        }
    }

    private void direct(Request request, Response response, ExchangeCompletion completion,
                        InetSocketAddress address) {
        if (address == null || address.isUnresolved()) {
            counters.increment("ingress.connect.unresolved");
            refuse(request, response, completion, new HttpFailure(500, ProxyErrorType.PROXY_CONFIGURATION_ERROR,
                    "the gateway chose no resolved address for this CONNECT"));
            return;
        }
        counters.increment("ingress.connect.direct");
        EndPoint agentEndPoint = request.getTunnelSupport().getEndPoint();
        dialer.dial(address, upstream -> side(upstream, "ingress.tunnel.direct.down", false), new Promise<>() {
            @Override
            public void succeeded(SpliceConnection upstream) {
                if (completion.isDone()) {
                    upstream.getEndPoint().close(); // the agent left while we dialled
                    return;
                }
                SpliceConnection agent = side(agentEndPoint, "ingress.tunnel.direct.up", true);
                SpliceConnection.pair(agent, upstream);
                acceptSpliced(request, response, completion, agent, upstream.getEndPoint());
            }

            @Override
            public void failed(Throwable cause) {
                counters.increment("ingress.connect.direct_failed");
                refuse(request, response, completion, DirectDialer.failureOf(address, cause));
            }
        });
    }

    private void intercept(Request request, Response response, ExchangeCompletion completion, ConnectTarget target,
                           Object attachment) {
        if (interceptor == null) {
            counters.increment("ingress.connect.intercept_unavailable");
            refuse(request, response, completion, new HttpFailure(500, ProxyErrorType.PROXY_CONFIGURATION_ERROR,
                    "TLS interception is not configured on this gateway"));
            return;
        }
        counters.increment("ingress.connect.intercepted");
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        InetSocketAddress listener = remote instanceof InterceptedOrigin outer ? outer.listener()
                : RequestInfoReader.inet(request.getConnectionMetaData().getLocalSocketAddress());
        EndPoint inner = interceptor.open(new InterceptedOrigin(target.host(), target.port(), agent(request),
                listener, attachment));
        SpliceConnection innerSide = side(inner, "ingress.tunnel.intercept.down", false);
        SpliceConnection agent = side(request.getTunnelSupport().getEndPoint(), "ingress.tunnel.intercept.up", true);
        SpliceConnection.pair(agent, innerSide);
        inner.setConnection(innerSide);
        inner.onOpen();
        innerSide.onOpen();
        acceptSpliced(request, response, completion, agent, inner);
    }

    /** Answers 200 with the agent's side as upgrade connection, the other side already open. */
    private void acceptSpliced(Request request, Response response, ExchangeCompletion completion,
                               SpliceConnection agent, EndPoint otherSide) {
        AtomicBoolean opened = new AtomicBoolean();
        agent.onOpened(() -> opened.set(true));
        whenNeverOpened(opened::get, () -> {
            if (otherSide.isOpen()) {
                counters.increment("ingress.tunnel.never_opened");
                otherSide.close();
            }
        });
        if (!accept(request, response, completion, agent)) otherSide.close();
    }

    /**
     * Should Jetty never install the tunnel's connection (an HTTP/2 stream reset between the 200 and the upgrade),
     * what was set up for it would wait for an idle timeout: give it up after the connect timeout instead.
     */
    private void whenNeverOpened(BooleanSupplier opened, Runnable giveUp) {
        scheduler.schedule(() -> {
            if (!opened.getAsBoolean()) giveUp.run();
        }, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Answers 200; false if the agent had already gone, so the tunnel will never open. */
    private boolean accept(Request request, Response response, ExchangeCompletion completion, Connection tunnel) {
        request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, tunnel);
        response.setStatus(HttpStatus.OK_200);
        return completion.succeed();
    }

    private void refuse(Request request, Response response, ExchangeCompletion completion, HttpFailure failure) {
        ProblemResponse.refuse(request, response, completion, config.proxyName(), failure);
    }

    private SpliceConnection side(EndPoint endPoint, String direction, boolean startsOnOpen) {
        endPoint.setIdleTimeout(config.tunnelIdleTimeout().toMillis());
        return new SpliceConnection(endPoint, executor, pool, config.tunnelBufferSize(), direction, counters,
                startsOnOpen);
    }

    private static InetSocketAddress agent(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        return remote instanceof InterceptedOrigin origin ? origin.agent() : RequestInfoReader.inet(remote);
    }
}
