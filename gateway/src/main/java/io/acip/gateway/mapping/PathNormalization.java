package io.acip.gateway.mapping;

import io.acip.gateway.GatewayMetrics;
import io.acip.gateway.http.RequestPath;
import io.acip.gateway.http.RequestPath.EscapedSlashes;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.Exchange;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.Tunnel;
import io.acip.ingress.TunnelDecision;
import io.acip.ingress.UdpFlow;

/**
 * The stage before every other: a request's path loses its dot segments ({@link RequestPath}) before it is mapped,
 * authorized or forwarded, so that {@code /skills/a/../b} is judged as what an origin would make of it, and a path
 * that climbs above its root or carries an encoded slash (unless {@code http.escaped_slashes: keep}) is answered 400.
 * An absolute-form request to a host that is not a skill goes on as sent: direct egress is an ordinary forward proxy.
 */
public final class PathNormalization implements IngressHandler {
    private final IngressHandler next;
    private final SkillMapper mapper;
    private final EscapedSlashes escapedSlashes;
    private final GatewayMetrics metrics;

    public PathNormalization(IngressHandler next, SkillMapper mapper, EscapedSlashes escapedSlashes,
                             GatewayMetrics metrics) {
        this.next = next;
        this.mapper = mapper;
        this.escapedSlashes = escapedSlashes;
        this.metrics = metrics;
    }

    @Override
    public void onExchange(Exchange exchange) {
        RequestInfo r = exchange.request();
        RequestPath.Result result = RequestPath.normalize(r.path(), escapedSlashes);
        if (r.form() == RequestInfo.Form.ABSOLUTE) {
            String probe = result instanceof RequestPath.Normalized n ? n.target() : r.path();
            if (mapper.map(r.host(), probe).isEmpty()) {
                next.onExchange(exchange);
                return;
            }
        }
        if (result instanceof RequestPath.Rejected rejected) {
            metrics.inc("gateway.request.path_refused");
            exchange.body().abort(new IllegalStateException("path refused"));
            exchange.response().fail(rejected.failure());
            return;
        }
        String target = ((RequestPath.Normalized) result).target();
        if (target.equals(r.path())) {
            next.onExchange(exchange);
            return;
        }
        metrics.inc("gateway.request.path_normalized");
        next.onExchange(exchange.withRequest(r.withPath(target)));
    }

    @Override
    public TunnelDecision onConnect(ConnectRequest request) {
        return next.onConnect(request);
    }

    @Override
    public void onTunnel(Tunnel tunnel) {
        next.onTunnel(tunnel);
    }

    @Override
    public void onConnectUdp(UdpFlow flow) {
        next.onConnectUdp(flow);
    }

}
