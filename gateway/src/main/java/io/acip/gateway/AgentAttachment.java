package io.acip.gateway;

import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.AgentSkill;
import io.acip.gateway.attach.CheckedAddresses;
import io.acip.gateway.attach.AttachRefusedException;
import io.acip.gateway.bridge.BridgeConfig;
import io.acip.gateway.bridge.FarTunnel;
import io.acip.gateway.bridge.SessionPool;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.discovery.AgentCardCache;
import io.acip.gateway.discovery.AgentCardPaths;
import io.acip.gateway.mapping.SkillMapper;
import io.acip.gateway.origin.OriginConfig;
import io.acip.gateway.origin.OriginForwarder;
import io.acip.gateway.udp.UdpRelay;
import io.acip.gateway.policy.AllowList;
import io.acip.gateway.policy.Principal;
import io.acip.gateway.registry.Registration;
import io.acip.gateway.registry.RegistrationWriter;
import io.acip.ingress.Exchange;
import io.acip.node.IncomingSession;
import io.acip.node.LocalInstance;
import io.acip.node.Node;
import io.acip.node.SessionHandler;
import io.acip.node.SessionRefusedException;
import io.acip.node.SkillIdentity;
import io.acip.routing.NextHop;
import io.acip.routing.Route;
import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import io.acip.wire.ResetCode;
import io.acip.wire.SkillName;
import io.acip.wire.TlvType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Makes an HTTP agent's skills routes at this node (DESIGN §5): each skill becomes a local instance whose sessions
 * are delivered to the agent's origin, Binary HTTP sessions through the origin forwarder and byte-stream sessions
 * as a TCP connection to the origin's host and port; datagram-mode {@code udp} sessions go to the agent's UDP
 * endpoint. A session whose mode does not fit its payload protocol is refused, so UDP never reaches the HTTP origin
 * and HTTP never reaches the UDP endpoint. The node proves each skill with a certificate its CA issues.
 *
 * <p>Agents from the configuration file are trusted; agents registered at run time (the admin listener) may take
 * only skills nobody else holds, nor a name under or over one (longest prefix would hand part of it over): not
 * another agent's, not one the configuration maps or routes ({@link #reserve}), not one the route table reaches
 * through a neighbour (a local instance would outrank the route and be announced fabric-wide). Each belongs to the
 * admin caller who registered it: only that caller replaces or detaches it. Its hosts are reached at the addresses
 * {@code admin.attach_allowed} checked ({@link CheckedAddresses}).
 *
 * <p>Each instance's sessions in flight and origin latency are measured ({@link InstanceLoad}) and announced with
 * its route as LOAD and LATENCY_MS, the CATS metrics edges choose instances by.
 */
public final class AgentAttachment {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(AgentAttachment.class.getName());
    private static final Duration SKILL_CERT_VALIDITY = Duration.ofDays(30);

    /** Equal, or one under the other: two such names share requests by longest prefix. */
    private static boolean overlap(SkillName a, SkillName b) {
        return a.isUnder(b) || b.isUnder(a);
    }

    private final Node node;
    private final SessionPool pool;
    private final FabricCa ca;
    private final OriginForwarder forwarder;
    private final io.acip.gateway.metrics.ExchangeMeters meters;
    private final BridgeConfig bridge;
    private final SkillMapper mapper;
    private final boolean h2c;
    private final UdpRelay udp;
    private final AgentCardCache cards;
    private final Map<String, Holding> attached = new ConcurrentHashMap<>();
    private final List<Reservation> reserved = new CopyOnWriteArrayList<>();
    private volatile RegistrationWriter registry = RegistrationWriter.NONE;

    /** An attached agent, and who attached it: the configuration file (owner null) or an admin caller. */
    private record Holding(AgentRegistration registration, String owner) {
        boolean configured() {
            return owner == null;
        }

        String holder() {
            return "agent " + registration.agent() + (configured() ? " (configuration: agents)" : "");
        }

        /** Whether {@code caller} may replace or detach it. */
        boolean ownedBy(String caller) {
            return !configured() && owner.equals(caller);
        }
    }

    /** A skill (or, with {@code subtree}, every skill under a prefix) the configuration holds. */
    private record Reservation(SkillName skill, boolean subtree, String holder) {
        boolean covers(SkillName s) {
            return subtree ? s.isUnder(skill) : overlap(s, skill);
        }
    }

    AgentAttachment(SessionPool pool, FabricCa ca, OriginForwarder forwarder, BridgeConfig bridge, SkillMapper mapper,
                    boolean h2c, UdpRelay udp, io.acip.gateway.metrics.ExchangeMeters meters) {
        this.meters = meters;
        this.pool = pool;
        this.node = pool.node();
        this.ca = ca;
        this.forwarder = forwarder;
        this.bridge = bridge;
        this.mapper = mapper;
        this.h2c = h2c;
        this.udp = udp;
        this.cards = new AgentCardCache(forwarder.httpClient());
    }

    /**
     * How this node delivers to one agent.
     *
     * @param h2c HTTP/2 with prior knowledge to the origin
     * @param cardPath where the agent's A2A card is on its origin (an absolute path), or null for each skill's base
     *     followed by {@code /.well-known/agent-card.json}
     * @param hostHeader the authority the origin sees
     * @param xForwarded whether the origin gets {@code X-Forwarded-Host} and {@code X-Forwarded-Proto}
     */
    public record Delivery(boolean h2c, String cardPath, OriginConfig.HostHeader hostHeader, boolean xForwarded) {
        public static Delivery of(boolean h2c) {
            return new Delivery(h2c, null, OriginConfig.HostHeader.ORIGIN, false);
        }
    }

    /**
     * Marks what the configuration maps or routes, so run-time agents cannot take it: {@code http.skills},
     * {@code http.rules} and every skill under a {@code node.routes} prefix (a local instance would outrank the
     * route and divert its traffic). Configured agents hold their skills by being attached.
     */
    void reserve(GatewayConfig c) {
        if (c.http() != null) {
            c.http().skills().forEach(s -> reserve(new SkillName(s), false, "configuration (http.skills)"));
            for (int i = 0; i < c.http().rules().size(); i++) {
                reserve(new SkillName(c.http().rules().get(i).skill()), false, "configuration (http.rules[" + i + "])");
            }
        }
        for (int i = 0; i < c.node().routes().size(); i++) {
            GatewayConfig.Route r = c.node().routes().get(i);
            reserve(new SkillName(r.prefix()), true, "configuration (node.routes[" + i + "], via " + r.via() + ")");
        }
    }

    private void reserve(SkillName skill, boolean subtree, String holder) {
        reserved.add(new Reservation(skill, subtree, holder));
    }

    /** Where run-time registrations are written before they take effect here: the node's registry. */
    void registry(RegistrationWriter writer) {
        this.registry = writer;
    }

    /** Attaches (or re-attaches, replacing its skills) an agent from the configuration file. */
    public synchronized void attach(AgentRegistration agent, boolean agentH2c) {
        attach(agent, Delivery.of(agentH2c), null, CheckedAddresses.NONE);
    }

    /** Attaches (or re-attaches) an agent from the configuration file, delivered as {@code delivery} says. */
    public synchronized void attach(AgentRegistration agent, Delivery delivery) {
        attach(agent, delivery, null, CheckedAddresses.NONE);
    }

    /**
     * Attaches an agent registered at run time by {@code caller} (the admin caller), or replaces the skills that
     * caller registered for it before; refused (409, naming the holder) when its name is another caller's or the
     * configuration's, or a skill overlaps one held by configuration, another agent or the route table, here or in
     * the registry; 503 when the registry cannot take the write. {@code record} is what the registry keeps.
     *
     * @param checked the addresses its hosts were checked as: the only ones it is reached at
     */
    public synchronized void attachRegistered(AgentRegistration agent, CheckedAddresses checked, String caller,
                                              Registration record)
            throws AttachRefusedException {
        Holding same = attached.get(agent.agent());
        if (same != null && !same.ownedBy(caller)) {
            throw AttachRefusedException.held("agent name " + agent.agent(), same.holder()
                    + (same.configured() ? "" : " (registered by " + same.owner() + ")"));
        }
        for (AgentSkill skill : agent.skills()) {
            Optional<String> holder = holder(skill.name(), agent.agent());
            if (holder.isPresent()) throw AttachRefusedException.held("skill " + skill.name(), holder.get());
        }
        registry.put(record);
        attach(agent, Delivery.of(false), caller, checked);
    }

    /**
     * Attaches what the registry holds (registered at another replica, or before this node restarted) without
     * writing it back, owned by the caller who registered it; one whose name or skills configuration or another
     * agent holds here stays out, logged. Routes learned from neighbours do not count: the other replicas announce
     * the very skills the registry gives this one.
     */
    public synchronized void applyRegistered(AgentRegistration agent, String owner, CheckedAddresses checked) {
        Holding same = attached.get(agent.agent());
        Optional<String> held = same != null && same.configured() ? Optional.of(same.holder()) : Optional.empty();
        for (AgentSkill skill : agent.skills()) {
            if (held.isEmpty()) held = heldHere(skill.name(), agent.agent()).map(h -> "skill " + skill.name() + ": " + h);
        }
        if (held.isPresent()) {
            LOG.warning("registry: agent " + agent.agent() + " is not attached here: held by " + held.get());
            return;
        }
        attach(agent, Delivery.of(false), owner, checked);
    }

    /** Detaches a run-time agent the registry no longer holds (detached elsewhere, or its lease lapsed). */
    public synchronized void applyRemoved(String agentName) {
        Holding h = attached.get(agentName);
        if (h == null || h.configured()) return;
        attached.remove(agentName);
        detach(h.registration());
    }

    /** Who other than {@code agentName} holds {@code skill}, a name under it or one over it, if anyone. */
    private Optional<String> holder(SkillName skill, String agentName) {
        Optional<String> here = heldHere(skill, agentName);
        return here.isPresent() ? here : routedBy(skill);
    }

    /** Who other than {@code agentName} holds {@code skill} (or a name under or over it) here: agents, configuration. */
    private Optional<String> heldHere(SkillName skill, String agentName) {
        for (Holding h : attached.values()) {
            if (h.registration().agent().equals(agentName)) continue;
            for (AgentSkill held : h.registration().skills()) {
                if (overlap(skill, held.name())) return Optional.of(h.holder() + heldAs(skill, held.name()));
            }
        }
        Optional<String> configured = reserved.stream().filter(r -> r.covers(skill)).map(Reservation::holder)
                .findFirst();
        return configured;
    }

    private static String heldAs(SkillName asked, SkillName held) {
        return asked.equals(held) ? "" : " (as " + held + ")";
    }

    /**
     * A route of the route table over or under {@code skill} with a hop to a neighbour (static or learned), as its
     * holder: a local instance would outrank it here and then be announced to the whole fabric (docs/acip-v0.md
     * §12.4) with a skill certificate of the fabric CA.
     */
    private Optional<String> routedBy(SkillName skill) {
        for (Route r : node.routes().snapshot().getOrDefault(0L, List.of())) {
            if (!overlap(skill, r.prefix())) continue;
            Set<String> configured = node.routes().configured(0, r.prefix()).stream().map(NextHop::id)
                    .collect(Collectors.toSet());
            for (NextHop h : r.hops()) {
                if (h instanceof NextHop.Neighbour n) {
                    return Optional.of(configured.contains(n.id())
                            ? "a static route (" + r.prefix() + " via " + n.nodeId() + ")"
                            : "the fabric (route " + r.prefix() + " learned from " + n.nodeId() + ")");
                }
            }
        }
        return Optional.empty();
    }

    private void attach(AgentRegistration agent, Delivery delivery, String owner, CheckedAddresses checked) {
        Holding old = attached.put(agent.agent(), new Holding(agent, owner));
        for (AgentSkill skill : agent.skills()) {
            IssuedIdentity id = ca.issueSkill(skill.name().value(), SKILL_CERT_VALIDITY);
            OriginConfig base = OriginConfig.of(agent.originFor(skill));
            OriginConfig origin = base.withTimeouts(base.connectTimeout(), base.firstByteTimeout(),
                            bridge.streamIdleTimeout()).withH2c(delivery.h2c() || h2c)
                    .withHostHeader(delivery.hostHeader(), delivery.xForwarded())
                    .withAddresses(checked.of(agent.origin().getHost()));
            URI card = cardUri(agent, skill, delivery.cardPath());
            InetSocketAddress endpoint = endpoint(agent.origin(), checked);
            String instance = instanceId(agent, skill);
            InstanceLoad load = new InstanceLoad(skill.capacity());
            String label = skill.name().value();
            node.attach(0, skill.name(), new LocalInstance(instance, 0, 1, skill.region().orElse(""),
                    skill.attributes(), new SkillIdentity(id.privateKey(), id.certificate()), incoming -> {
                        if (skill.allow().isPresent()) authorize(skill.name().value(), skill.allow().get(), incoming);
                        String protocol = incoming.metadata().string(TlvType.PAYLOAD_PROTOCOL).orElse("bhttp");
                        boolean datagrams = protocol.equals("udp");
                        if (incoming.datagramMode() != datagrams) {
                            throw new SessionRefusedException(ResetCode.PROTOCOL_VIOLATION, "payload protocol "
                                    + protocol + (datagrams ? " needs" : " cannot ride") + " a datagram-mode session");
                        }
                        return switch (protocol) {
                            case "bhttp" -> {
                                String setupTrace = incoming.metadata().string(TlvType.TRACEPARENT).orElse(null);
                                Consumer<Exchange> stage = ex -> {
                                    if (AgentCardPaths.isCardRequest(ex.request().method(), ex.request().path())) {
                                        cards.serve(ex, card, origin.base());
                                    } else { // in a sequence of exchanges, each brings its own trace (§13.4)
                                        String traceparent = ex.request().headers().first("traceparent")
                                                .orElse(setupTrace);
                                        forwarder.forward(meters.origin(new HeadTimedExchange(ex, load), label,
                                                traceparent), origin, ex.request().path(), false);
                                    }
                                };
                                // CATS load counts exchanges in flight, not the idle sessions that wait for them.
                                yield pool.serve(incoming, bridge, stage, load::begin);
                            }
                            case "bytes" -> {
                                // A byte tunnel reaches any path at the origin: only for skills that declare it.
                                if (!skill.tcpTunnel()) {
                                    throw new SessionRefusedException(ResetCode.PAYLOAD_PROTOCOL_REFUSED, "skill "
                                            + skill.name() + " takes no byte tunnels (tunnel: tcp)");
                                }
                                yield load.track(tunnel(endpoint));
                            }
                            case "udp" -> load.track(udp.deliver(agent.agent(),
                                    skill.udp().or(agent::udp).map(checked::pin), skill.name()));
                            default -> throw new SessionRefusedException(ResetCode.DESTINATION_UNAVAILABLE,
                                    "agent " + agent.agent() + " takes no " + protocol + " sessions");
                        };
                    }));
            mapper.register(skill.name());
            // Neighbours learn the skill is here (docs/acip-v0.md §12), with its load and latency as measured, and
            // forget it on detach.
            node.control().originate(0, skill.name(), instance,
                    () -> load.attributes(skill.region().orElse(""), skill.attributes()));
        }
        // The new instances replaced the old ones of the same skills in place (same instance IDs), so a SETUP never
        // finds the skill missing; what the new registration dropped goes now.
        if (old != null) detachReplaced(old.registration(), agent);
    }

    private void detachReplaced(AgentRegistration old, AgentRegistration now) {
        for (AgentSkill skill : old.skills()) {
            if (now.skill(skill.name()).isPresent()) {
                mapper.unregister(skill.name()); // registered again by the new attachment
                pool.retire(instanceId(old, skill)); // its sessions were accepted under the old registration
            } else {
                detach(old, skill);
            }
        }
    }

    /**
     * Reload: {@code changed} (new, or whose configuration changed) are attached, replacing in place what they had;
     * configured agents not in {@code configured} (every name the new file lists) are detached; the rest are left
     * alone. Run-time registrations stay.
     */
    public synchronized void replaceConfigured(List<AgentRegistration> changed, List<Delivery> deliveries,
                                               java.util.Set<String> configured) {
        for (int i = 0; i < changed.size(); i++) attach(changed.get(i), deliveries.get(i), null, CheckedAddresses.NONE);
        for (Holding h : List.copyOf(attached.values())) {
            if (h.configured() && !configured.contains(h.registration().agent())) {
                attached.remove(h.registration().agent());
                detach(h.registration());
            }
        }
    }

    /** Reload: the configuration's reservations (http.skills, http.rules, node.routes) become those of {@code c}. */
    synchronized void reserveOnly(GatewayConfig c) {
        reserved.clear();
        reserve(c);
    }

    /**
     * The skill's own gateway decides who may call it, from what a node attested (docs/security.md): a refusal is
     * RESET {@code policy_denied}, which the edge answers with 403.
     */
    private static void authorize(String skill, AllowList allow, IncomingSession incoming)
            throws SessionRefusedException {
        Principal caller = incoming.attested()
                .map(a -> new Principal(a.identity(), a.groups(), Principal.Method.ATTESTED))
                .orElse(Principal.ANONYMOUS);
        if (allow.allows(caller)) return;
        String who = incoming.attested().map(a -> a.identity() + " (groups " + a.groups() + ", attested by "
                + a.nodeId() + ")").orElse("an unattested initiator");
        // The allow list stays in this node's log: the detail travels back to the caller.
        LOG.fine(() -> "skill " + skill + " refused " + who + ": allow " + allow);
        throw new SessionRefusedException(ResetCode.POLICY_DENIED, "skill " + skill + " does not allow " + who);
    }

    /** Where the card of {@code skill}'s agent is: the configured path on its origin, else under the skill's base. */
    private static URI cardUri(AgentRegistration agent, AgentSkill skill, String cardPath) {
        if (cardPath != null) {
            URI o = agent.origin();
            return URI.create(o.getScheme() + "://" + o.getRawAuthority() + cardPath);
        }
        String base = agent.originFor(skill).toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + AgentCardPaths.AGENT_CARD);
    }

    private static SessionHandler tunnel(InetSocketAddress endpoint) {
        return new FarTunnel(endpoint, 5000);
    }

    /**
     * Detaches an agent {@code caller} registered at run time, with all it registered; configured skills stay mapped.
     * Agents from the configuration file (change the file) and another caller's are refused (409), unknown ones are
     * 404.
     */
    public synchronized AgentRegistration detachRegistered(String agentName, String caller)
            throws AttachRefusedException {
        Holding h = attached.get(agentName);
        if (h == null) {
            throw new AttachRefusedException(404, "not-attached", "no agent " + agentName + " is attached here",
                    Map.of("agent", agentName));
        }
        if (h.configured()) {
            throw AttachRefusedException.held("agent " + agentName, "configuration (agents); remove it from the file");
        }
        if (!h.ownedBy(caller)) {
            throw AttachRefusedException.held("agent " + agentName, h.holder() + " (registered by " + h.owner() + ")");
        }
        registry.remove(agentName);
        attached.remove(agentName);
        detach(h.registration());
        return h.registration();
    }

    private void detach(AgentRegistration agent) {
        for (AgentSkill skill : agent.skills()) detach(agent, skill);
    }

    private void detach(AgentRegistration agent, AgentSkill skill) {
        node.control().withdraw(0, skill.name(), instanceId(agent, skill));
        node.detach(0, skill.name(), instanceId(agent, skill));
        pool.retire(instanceId(agent, skill));
        mapper.unregister(skill.name());
    }

    /** Whether {@code agent} came from the configuration file (rather than {@code POST /agents}). */
    public boolean configured(String agent) {
        Holding h = attached.get(agent);
        return h != null && h.configured();
    }

    public List<AgentRegistration> agents() {
        return attached.values().stream().map(Holding::registration).toList();
    }

    private static String instanceId(AgentRegistration agent, AgentSkill skill) {
        return agent.agent() + ":" + skill.name();
    }

    /** The origin's host and port for byte tunnels: its first checked address, or the host resolved now. */
    private static InetSocketAddress endpoint(URI origin, CheckedAddresses checked) {
        int port = origin.getPort() > 0 ? origin.getPort() : "https".equals(origin.getScheme()) ? 443 : 80;
        List<java.net.InetAddress> pinned = checked.of(origin.getHost());
        return pinned.isEmpty() ? new InetSocketAddress(origin.getHost(), port) : new InetSocketAddress(pinned.get(0), port);
    }
}
