package io.acip.gateway;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.gateway.bridge.BridgeConfig;
import io.acip.gateway.bridge.EdgeExchange;
import io.acip.gateway.bridge.TunnelBridge;
import io.acip.gateway.egress.EgressPolicy;
import io.acip.gateway.mapping.SkillMapper;
import io.acip.gateway.mapping.SkillTarget;
import io.acip.gateway.udp.SkillFlow;
import io.acip.gateway.udp.UdpRelay;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.Exchange;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.Tunnel;
import io.acip.ingress.TunnelDecision;
import io.acip.ingress.UdpFlow;
import io.acip.node.Node;
import io.acip.wire.ResetCode;
import io.acip.wire.SkillName;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The stage every accepted request reaches: which skill (or direct destination) it is for, and who carries it. It
 * never asks which HTTP version a request came in on.
 */
public final class GatewayHandler implements IngressHandler {
    private final Node node;
    private final SkillMapper mapper;
    private final BridgeConfig bridge;
    private final EgressPolicy egress;
    private final List<SkillName> intercepted;
    private final Consumer<Exchange> direct;
    private final GatewayMetrics metrics;
    private final UdpRelay udp;

    /**
     * @param direct forwards an absolute-form request to a destination that is not a skill (policy already checked)
     * @param udp carries CONNECT-UDP flows to targets that are not skills (and decides whether they may go)
     */
    public GatewayHandler(Node node, SkillMapper mapper, BridgeConfig bridge, EgressPolicy egress,
                          List<SkillName> intercepted, Consumer<Exchange> direct, GatewayMetrics metrics,
                          UdpRelay udp) {
        this.node = node;
        this.mapper = mapper;
        this.bridge = bridge;
        this.egress = egress;
        this.intercepted = List.copyOf(intercepted);
        this.direct = direct;
        this.metrics = metrics;
        this.udp = udp;
    }

    @Override
    public void onExchange(Exchange exchange) {
        RequestInfo r = exchange.request();
        metrics.inc("gateway.request." + r.protocol().replace("HTTP/", "h").replace(".", ""));
        Optional<SkillTarget> target = mapper.map(r.host(), r.path());
        if (target.isPresent()) {
            metrics.inc("gateway.request.skill");
            EdgeExchange.start(node, exchange, target.get().skill(), target.get().path(), bridge, List.of());
            return;
        }
        if (r.form() == RequestInfo.Form.ABSOLUTE) {
            Optional<HttpFailure> refused = checkDirect(r.host(), r.port());
            if (refused.isPresent()) {
                metrics.inc("gateway.request.refused");
                exchange.body().abort(new IllegalStateException("refused"));
                exchange.response().fail(refused.get());
            } else {
                metrics.inc("gateway.request.direct");
                direct.accept(exchange);
            }
            return;
        }
        metrics.inc("gateway.request.unmapped");
        exchange.body().abort(new IllegalStateException("no skill"));
        exchange.response().fail(new HttpFailure(404, ProxyErrorType.DESTINATION_NOT_FOUND,
                "no skill is mapped to host " + r.host() + " and path " + r.path()));
    }

    @Override
    public TunnelDecision onConnect(ConnectRequest request) {
        Optional<SkillName> skill = mapper.forHost(request.host());
        if (skill.isPresent()) {
            SkillName s = skill.get();
            boolean intercept = intercepted.stream().anyMatch(s::isUnder);
            metrics.inc(intercept ? "gateway.connect.intercepted" : "gateway.connect.skill");
            if (intercept) return new TunnelDecision.Intercept();
            // Answered once the byte-stream session is set up (RFC 9110 §9.3.6), or with why it is not; a skill
            // that takes no byte tunnels is intercepted where this edge may, so each request inside is checked.
            return new TunnelDecision.Pending(TunnelBridge.open(node, request, s, List.of(), (code, detail) -> {
                boolean mayIntercept = code == ResetCode.POLICY_DENIED && !intercepted.isEmpty();
                metrics.inc(mayIntercept ? "gateway.connect.intercepted" : "gateway.connect.refused");
                return mayIntercept ? new TunnelDecision.Intercept() : TunnelBridge.refusal(code, detail);
            }));
        }
        // One lookup: the tunnel goes to an address that was checked, not to a second lookup's (DNS rebinding).
        EgressPolicy.Destination d = egress.resolve(request.host(), request.port());
        if (d instanceof EgressPolicy.Refused r) {
            metrics.inc("gateway.connect.refused");
            return new TunnelDecision.Refuse(r.failure());
        }
        metrics.inc("gateway.connect.direct");
        return new TunnelDecision.Direct(((EgressPolicy.Allowed) d).addresses().get(0));
    }

    @Override
    public void onTunnel(Tunnel tunnel) {
        TunnelBridge.attach(tunnel);
    }

    /**
     * RFC 9298: a target host that names a skill becomes a datagram-mode session to it, whatever the port (the skill's
     * registered UDP endpoint decides where datagrams go, as for CONNECT to a skill host); any other target goes direct
     * where the egress policy allows, after a lookup that must finish before the request is answered.
     */
    @Override
    public void onConnectUdp(UdpFlow flow) {
        metrics.inc("gateway.udp.request." + flow.httpVersion().replace("HTTP/", "h").replace(".", ""));
        Optional<SkillName> skill = mapper.forHost(flow.request().host());
        if (skill.isPresent()) {
            SkillFlow.start(node, flow, skill.get(), List.of(), udp.settings().maxDgramPayload(), metrics);
        } else {
            udp.direct(flow);
        }
    }

    /** Resolves {@code host} and checks every address against the egress policy; why not, or empty. */
    private Optional<HttpFailure> checkDirect(String host, int port) {
        return egress.resolve(host, port) instanceof EgressPolicy.Refused r ? Optional.of(r.failure())
                : Optional.empty();
    }
}
