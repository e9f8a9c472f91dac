package io.acip.gateway;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.gateway.auth.AgentAuthenticator;
import io.acip.gateway.auth.AgentAuthenticator.Addressing;
import io.acip.gateway.auth.AgentAuthenticator.Identification;
import io.acip.gateway.auth.AgentAuthenticator.Identified;
import io.acip.gateway.auth.AgentAuthenticator.Refused;
import io.acip.gateway.bridge.BridgeConfig;
import io.acip.gateway.bridge.EdgeExchange;
import io.acip.gateway.bridge.SessionPool;
import io.acip.gateway.bridge.TunnelBridge;
import io.acip.gateway.egress.EgressPolicy;
import io.acip.gateway.mapping.SkillMapper;
import io.acip.gateway.metrics.ExchangeMeters;
import io.acip.gateway.mapping.SkillTarget;
import io.acip.gateway.policy.AccessPolicy;
import io.acip.gateway.policy.Principal;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The stage every accepted request reaches: who sent it (identify), which skill (or direct destination) it is for
 * (map), whether the sender may call it and is within its limits (authorize), and who carries it (bridge). It never
 * asks which HTTP version a request came in on.
 */
public final class GatewayHandler implements IngressHandler, AutoCloseable {
    private static final java.util.Map<String, String> UDP_REQUESTS = java.util.Map.of("HTTP/1.1",
            "gateway.udp.request.h11", "HTTP/2", "gateway.udp.request.h2", "HTTP/3", "gateway.udp.request.h3");
    private final Node node;
    private final SessionPool pool;
    private final SkillMapper mapper;
    private final BridgeConfig bridge;
    private final EgressPolicy egress;
    private final List<SkillName> intercepted;
    private final Consumer<Exchange> direct;
    private final GatewayMetrics metrics;
    private final UdpRelay udp;
    /** Who is served and how far (auth and policy): replaced whole on reload, read once per request. */
    private volatile Access access;

    /** The edge's authentication and policy, swapped together so no request sees one without the other. */
    public record Access(AgentAuthenticator authenticator, AccessPolicy policy) {
    }

    /** Serving every agent, as without {@code auth} and {@code policy}. */
    public GatewayHandler(SessionPool pool, SkillMapper mapper, BridgeConfig bridge, EgressPolicy egress,
                          List<SkillName> intercepted, Consumer<Exchange> direct, GatewayMetrics metrics,
                          UdpRelay udp) {
        this(pool, mapper, bridge, egress, intercepted, direct, metrics, udp, AgentAuthenticator.none(),
                AccessPolicy.open());
    }

    /**
     * @param direct forwards an absolute-form request to a destination that is not a skill (policy already checked)
     * @param udp carries CONNECT-UDP flows to targets that are not skills (and decides whether they may go)
     */
    public GatewayHandler(SessionPool pool, SkillMapper mapper, BridgeConfig bridge, EgressPolicy egress,
                          List<SkillName> intercepted, Consumer<Exchange> direct, GatewayMetrics metrics,
                          UdpRelay udp, AgentAuthenticator authenticator, AccessPolicy policy) {
        this.pool = pool;
        this.node = pool == null ? null : pool.node();
        this.mapper = mapper;
        this.bridge = bridge;
        this.egress = egress;
        this.intercepted = List.copyOf(intercepted);
        this.direct = direct;
        this.metrics = metrics;
        this.udp = udp;
        this.access = new Access(authenticator, policy);
    }

    /** Stops what the stages run in the background (a JWKS fetched from its URL). */
    @Override
    public void close() {
        access.authenticator().close();
    }

    @Override
    public void onExchange(Exchange exchange) {
        long start = System.nanoTime();
        Access a = access;
        RequestInfo r = exchange.request();
        Addressing addressing = r.form() == RequestInfo.Form.ABSOLUTE ? Addressing.PROXY : Addressing.ORIGIN;
        Identification id = r.form() == RequestInfo.Form.TUNNELLED
                ? new Identified(tunnelPrincipal(r.tunnel()), false) // authenticated on the tunnel's CONNECT
                : a.authenticator().identify(r.headers(), addressing, r.clientCertificates());
        if (id instanceof Refused refused) {
            metrics.exchanges().count(r.protocol(), ExchangeMeters.Outcome.UNAUTHENTICATED);
            refuse(exchange, refused.failure());
            return;
        }
        Identified caller = (Identified) id;
        Optional<SkillTarget> target = mapper.map(r.host(), r.path());
        if (target.isPresent()) {
            metrics.exchanges().count(r.protocol(), ExchangeMeters.Outcome.SKILL);
            Exchange admitted = admit(a, metrics.exchanges().edge(exchange, start, target.get().skill().value(),
                    caller.principal().toString()), caller, Optional.of(target.get().skill()), addressing);
            if (admitted != null) {
                EdgeExchange.start(pool, admitted, target.get().skill(), target.get().path(), bridge, List.of(),
                        caller.principal());
            }
            return;
        }
        if (r.form() == RequestInfo.Form.ABSOLUTE) {
            Optional<HttpFailure> refused = checkDirect(r.host(), r.port());
            if (refused.isPresent()) {
                metrics.exchanges().count(r.protocol(), ExchangeMeters.Outcome.REFUSED);
                refuse(exchange, refused.get());
                return;
            }
            Exchange admitted = admit(a, metrics.exchanges().edge(exchange, start, ExchangeMeters.DIRECT,
                    caller.principal().toString()), caller, Optional.empty(), addressing);
            if (admitted != null) {
                metrics.exchanges().count(r.protocol(), ExchangeMeters.Outcome.DIRECT);
                direct.accept(admitted);
            }
            return;
        }
        metrics.exchanges().count(r.protocol(), ExchangeMeters.Outcome.UNMAPPED);
        refuse(exchange, new HttpFailure(404, ProxyErrorType.DESTINATION_NOT_FOUND,
                "no skill is mapped to host " + r.host() + " and path " + r.path()));
    }

    /**
     * The authorize stage for one exchange: the exchange as it goes on (without the gateway's own credential unless
     * the rule passes it, holding its in-flight slot until it ends), or null when it was refused here.
     */
    private Exchange admit(Access a, Exchange exchange, Identified caller, Optional<SkillName> skill,
                           Addressing addressing) {
        RequestInfo r = exchange.request();
        AccessPolicy.Decision d = a.policy().decide(caller.principal(), skill, address(r.remote()), true);
        if (!(d instanceof AccessPolicy.Granted granted)) {
            refuse(exchange, refusal(a, d, caller.principal(), addressing));
            return null;
        }
        if (!AccessPolicy.countsNothing(granted)) exchange.onEnd(granted.release());
        if (!caller.consumedAuthorization() || granted.passAuthorization()) return exchange;
        return exchange.withRequest(r.withHeaders(withoutAuthorization(r.headers())));
    }

    /** A refused decision as the agent sees it: a challenge for an anonymous caller, else 403, or 429. */
    private HttpFailure refusal(Access a, AccessPolicy.Decision d, Principal caller, Addressing addressing) {
        if (d instanceof AccessPolicy.Limited limited) {
            metrics.inc("gateway.policy.limited");
            return new HttpFailure(429, ProxyErrorType.HTTP_REQUEST_DENIED, limited.detail())
                    .withField("retry-after", Long.toString(limited.retryAfterSeconds()));
        }
        metrics.inc("gateway.policy.denied");
        String detail = ((AccessPolicy.Denied) d).detail();
        // Credentials could change the answer for an anonymous caller (RFC 9110 §15.5.2, §15.5.8); the rule is not
        // named to a caller who has not even said who it is.
        return !caller.authenticated() && a.authenticator().enabled()
                ? a.authenticator().challenge(addressing, null, "credentials required")
                : new HttpFailure(403, ProxyErrorType.HTTP_REQUEST_DENIED, detail);
    }

    private void refuse(Exchange exchange, HttpFailure failure) {
        // A metered exchange reports its own refusal when it ends; the others (unmapped, unauthenticated) here.
        if (!(exchange instanceof io.acip.gateway.metrics.MeteredExchange)) {
            metrics.exchanges().refusals().add(exchange.request(), failure, "-");
        }
        exchange.body().abort(new IllegalStateException("refused"));
        exchange.response().fail(failure);
    }

    private static Fields withoutAuthorization(Fields headers) {
        List<Field> kept = new ArrayList<>(headers.lines());
        kept.removeIf(f -> f.name().equals("authorization"));
        return new Fields(kept);
    }

    /** What an intercepted tunnel's CONNECT was authenticated as (anonymous where nothing was attached). */
    private static Principal tunnelPrincipal(Object attachment) {
        return attachment instanceof Principal p ? p : Principal.ANONYMOUS;
    }

    private static InetAddress address(InetSocketAddress remote) {
        return remote == null ? null : remote.getAddress();
    }

    @Override
    public TunnelDecision onConnect(ConnectRequest request) {
        Access a = access;
        Identification id = request.tunnel() != null
                ? new Identified(tunnelPrincipal(request.tunnel()), false)
                : a.authenticator().identify(request.headers(), Addressing.PROXY, request.clientCertificates());
        if (id instanceof Refused refused) {
            metrics.inc("gateway.connect.refused");
            return new TunnelDecision.Refuse(refused.failure());
        }
        Principal caller = ((Identified) id).principal();
        Optional<SkillName> skill = mapper.forHost(request.host());
        if (skill.isPresent()) {
            SkillName s = skill.get();
            boolean intercept = intercepted.stream().anyMatch(s::isUnder);
            // An intercepted tunnel is checked here and counted per request inside it; a carried one counts once.
            AccessPolicy.Decision d = a.policy().decide(caller, skill, address(request.remote()), !intercept);
            if (!(d instanceof AccessPolicy.Granted granted)) {
                metrics.inc("gateway.connect.refused");
                return new TunnelDecision.Refuse(refusal(a, d, caller, Addressing.PROXY));
            }
            granted.release().run(); // a byte tunnel's lifetime is not tracked: it counts against the rate only
            metrics.inc(intercept ? "gateway.connect.intercepted" : "gateway.connect.skill");
            if (intercept) return new TunnelDecision.Intercept(caller);
            // Answered once the byte-stream session is set up (RFC 9110 §9.3.6), or with why it is not; a skill
            // that takes no byte tunnels (that code only: a policy_denied is 403) is intercepted where this edge may,
            // so each request inside is checked.
            return new TunnelDecision.Pending(TunnelBridge.open(node, request, s, List.of(), caller, (code, detail) -> {
                boolean mayIntercept = code == ResetCode.PAYLOAD_PROTOCOL_REFUSED && !intercepted.isEmpty();
                metrics.inc(mayIntercept ? "gateway.connect.intercepted" : "gateway.connect.refused");
                return mayIntercept ? new TunnelDecision.Intercept(caller) : TunnelBridge.refusal(code, detail);
            }));
        }
        // One lookup: the tunnel goes to an address that was checked, not to a second lookup's (DNS rebinding).
        EgressPolicy.Destination destination = egress.resolve(request.host(), request.port());
        Optional<HttpFailure> refused = destination instanceof EgressPolicy.Refused r ? Optional.of(r.failure())
                : Optional.empty();
        if (refused.isEmpty()) {
            AccessPolicy.Decision d = a.policy().decide(caller, Optional.empty(), address(request.remote()), true);
            if (d instanceof AccessPolicy.Granted granted) {
                granted.release().run();
            } else {
                refused = Optional.of(refusal(a, d, caller, Addressing.PROXY));
            }
        }
        if (refused.isPresent()) {
            metrics.inc("gateway.connect.refused");
            return new TunnelDecision.Refuse(refused.get());
        }
        metrics.inc("gateway.connect.direct");
        return new TunnelDecision.Direct(((EgressPolicy.Allowed) destination).addresses().get(0));
    }

    @Override
    public void onTunnel(Tunnel tunnel) {
        TunnelBridge.attach(tunnel); // its session was opened as the CONNECT's caller before the 200
    }

    /**
     * RFC 9298: a target host that names a skill becomes a datagram-mode session to it, whatever the port (the skill's
     * registered UDP endpoint decides where datagrams go, as for CONNECT to a skill host); any other target goes direct
     * where the egress policy allows, after a lookup that must finish before the request is answered.
     */
    @Override
    public void onConnectUdp(UdpFlow flow) {
        metrics.inc(UDP_REQUESTS.getOrDefault(flow.httpVersion(), "gateway.udp.request.other"));
        ConnectRequest request = flow.request();
        Access a = access;
        Identification id = request.tunnel() != null
                ? new Identified(tunnelPrincipal(request.tunnel()), false)
                : a.authenticator().identify(request.headers(), Addressing.MASQUE, request.clientCertificates());
        if (id instanceof Refused refused) {
            flow.refuse(refused.failure());
            return;
        }
        Principal caller = ((Identified) id).principal();
        Optional<SkillName> skill = mapper.forHost(request.host());
        // A flow to a target that is not a skill is direct egress, as far as the policy goes (its checks follow).
        AccessPolicy.Decision d = a.policy().decide(caller, skill, address(request.remote()), true);
        if (!(d instanceof AccessPolicy.Granted granted)) {
            flow.refuse(refusal(a, d, caller, Addressing.MASQUE));
            return;
        }
        CountedUdpFlow admitted = new CountedUdpFlow(flow, granted.release(), metrics, caller.toString());
        try {
            if (skill.isPresent()) {
                SkillFlow.start(node, admitted, skill.get(), List.of(), udp.settings().maxDgramPayload(), metrics,
                        caller);
            } else {
                udp.direct(admitted);
            }
        } catch (RuntimeException e) {
            admitted.abandon(); // the listener refuses the raw flow, which knows nothing of the slot or the gauge
            throw e;
        }
    }

    /** Replaces authentication and policy at once (reload): requests already past them keep what they were given. */
    public void access(Access next) {
        Access old = access;
        access = next;
        if (old.authenticator() != next.authenticator()) old.authenticator().close();
    }

    /** Resolves {@code host} and checks every address against the egress policy; why not, or empty. */
    private Optional<HttpFailure> checkDirect(String host, int port) {
        return egress.resolve(host, port) instanceof EgressPolicy.Refused r ? Optional.of(r.failure())
                : Optional.empty();
    }
}
