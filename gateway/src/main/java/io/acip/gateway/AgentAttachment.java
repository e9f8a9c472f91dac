package io.acip.gateway;

import io.acip.control.RouteAttributes;
import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.AgentSkill;
import io.acip.gateway.attach.AttachRefusedException;
import io.acip.gateway.bridge.BridgeConfig;
import io.acip.gateway.bridge.FarExchange;
import io.acip.gateway.bridge.FarTunnel;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.mapping.SkillMapper;
import io.acip.gateway.origin.OriginConfig;
import io.acip.gateway.origin.OriginForwarder;
import io.acip.gateway.udp.UdpRelay;
import io.acip.gateway.policy.AllowList;
import io.acip.gateway.policy.Principal;
import io.acip.node.IncomingSession;
import io.acip.node.LocalInstance;
import io.acip.node.Node;
import io.acip.node.SessionHandler;
import io.acip.node.SessionRefusedException;
import io.acip.node.SkillIdentity;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Makes an HTTP agent's skills routes at this node (DESIGN §5): each skill becomes a local instance whose sessions
 * are delivered to the agent's origin, Binary HTTP sessions through the origin forwarder and byte-stream sessions
 * as a TCP connection to the origin's host and port; datagram-mode {@code udp} sessions go to the agent's UDP
 * endpoint. A session whose mode does not fit its payload protocol is refused, so UDP never reaches the HTTP origin
 * and HTTP never reaches the UDP endpoint. The node proves each skill with a certificate its CA issues.
 *
 * <p>Agents from the configuration file are trusted; agents registered at run time (the admin listener) may take
 * only skills nobody else holds: not another agent's, not one the configuration maps or routes
 * ({@link #reserve}), and they may detach only themselves.
 */
public final class AgentAttachment {
    private static final Duration SKILL_CERT_VALIDITY = Duration.ofDays(30);

    private final Node node;
    private final FabricCa ca;
    private final OriginForwarder forwarder;
    private final io.acip.gateway.metrics.ExchangeMeters meters;
    private final BridgeConfig bridge;
    private final SkillMapper mapper;
    private final boolean h2c;
    private final UdpRelay udp;
    private final Map<String, Holding> attached = new ConcurrentHashMap<>();
    private final List<Reservation> reserved = new CopyOnWriteArrayList<>();

    /** An attached agent, and whether it came from the configuration file. */
    private record Holding(AgentRegistration registration, boolean configured) {
        String holder() {
            return "agent " + registration.agent() + (configured ? " (configuration: agents)" : "");
        }
    }

    /** A skill (or, with {@code subtree}, every skill under a prefix) the configuration holds. */
    private record Reservation(SkillName skill, boolean subtree, String holder) {
        boolean covers(SkillName s) {
            return subtree ? s.isUnder(skill) : s.equals(skill);
        }
    }

    AgentAttachment(Node node, FabricCa ca, OriginForwarder forwarder, BridgeConfig bridge, SkillMapper mapper,
                    boolean h2c, UdpRelay udp, io.acip.gateway.metrics.ExchangeMeters meters) {
        this.meters = meters;
        this.node = node;
        this.ca = ca;
        this.forwarder = forwarder;
        this.bridge = bridge;
        this.mapper = mapper;
        this.h2c = h2c;
        this.udp = udp;
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

    /** Attaches (or re-attaches, replacing its skills) an agent from the configuration file. */
    public synchronized void attach(AgentRegistration agent, boolean agentH2c) {
        attach(agent, agentH2c, true);
    }

    /**
     * Attaches an agent registered at run time, or replaces the skills it registered before; refused (409) when a
     * skill or its name is held by configuration or by another agent.
     */
    public synchronized void attachRegistered(AgentRegistration agent) throws AttachRefusedException {
        Holding same = attached.get(agent.agent());
        if (same != null && same.configured()) {
            throw AttachRefusedException.held("agent name " + agent.agent(), same.holder());
        }
        for (AgentSkill skill : agent.skills()) {
            Optional<String> holder = holder(skill.name(), agent.agent());
            if (holder.isPresent()) throw AttachRefusedException.held("skill " + skill.name(), holder.get());
        }
        attach(agent, false, false);
    }

    /** Who other than {@code agentName} holds {@code skill}, if anyone. */
    private Optional<String> holder(SkillName skill, String agentName) {
        for (Holding h : attached.values()) {
            if (!h.registration().agent().equals(agentName) && h.registration().skill(skill).isPresent()) {
                return Optional.of(h.holder());
            }
        }
        return reserved.stream().filter(r -> r.covers(skill)).map(Reservation::holder).findFirst();
    }

    private void attach(AgentRegistration agent, boolean agentH2c, boolean configured) {
        Holding old = attached.put(agent.agent(), new Holding(agent, configured));
        for (AgentSkill skill : agent.skills()) {
            IssuedIdentity id = ca.issueSkill(skill.name().value(), SKILL_CERT_VALIDITY);
            OriginConfig origin = OriginConfig.of(agent.originFor(skill)).withH2c(agentH2c || h2c);
            InetSocketAddress endpoint = endpoint(agent.origin());
            String instance = instanceId(agent, skill);
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
                                String traceparent = incoming.metadata().string(TlvType.TRACEPARENT).orElse(null);
                                yield new FarExchange(incoming, bridge, ex -> forwarder.forward(
                                        meters.origin(ex, label, traceparent), origin, ex.request().path(), false));
                            }
                            case "bytes" -> tunnel(endpoint);
                            case "udp" -> udp.deliver(agent.agent(), skill.udp().or(agent::udp), skill.name());
                            default -> throw new SessionRefusedException(ResetCode.DESTINATION_UNAVAILABLE,
                                    "agent " + agent.agent() + " takes no " + protocol + " sessions");
                        };
                    }));
            mapper.register(skill.name());
            // Neighbours learn the skill is here (docs/acip-v0.md §12), and forget it on detach.
            node.control().originate(0, skill.name(), instance, new RouteAttributes(RouteAttributes.ORIGIN_ATTACHED,
                    skill.region().orElse(""), skill.attributes(), -1, -1));
        }
        // The new instances replaced the old ones of the same skills in place (same instance IDs), so a SETUP never
        // finds the skill missing; what the new registration dropped goes now.
        if (old != null) detachReplaced(old.registration(), agent);
    }

    private void detachReplaced(AgentRegistration old, AgentRegistration now) {
        for (AgentSkill skill : old.skills()) {
            if (now.skill(skill.name()).isPresent()) {
                mapper.unregister(skill.name()); // registered again by the new attachment
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
    public synchronized void replaceConfigured(List<AgentRegistration> changed, List<Boolean> h2c,
                                               java.util.Set<String> configured) {
        for (int i = 0; i < changed.size(); i++) attach(changed.get(i), h2c.get(i), true);
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
        throw new SessionRefusedException(ResetCode.POLICY_DENIED, "skill " + skill + " allows " + allow + ": " + who
                + " matches none");
    }

    private static SessionHandler tunnel(InetSocketAddress endpoint) {
        return new FarTunnel(endpoint, 5000);
    }

    /**
     * Detaches an agent registered at run time, with all it registered; configured skills stay mapped. Agents from
     * the configuration file are refused (409: change the file), unknown ones are 404.
     */
    public synchronized AgentRegistration detachRegistered(String agentName) throws AttachRefusedException {
        Holding h = attached.get(agentName);
        if (h == null) {
            throw new AttachRefusedException(404, "not-attached", "no agent " + agentName + " is attached here",
                    Map.of("agent", agentName));
        }
        if (h.configured()) {
            throw AttachRefusedException.held("agent " + agentName, "configuration (agents); remove it from the file");
        }
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

    private static InetSocketAddress endpoint(URI origin) {
        int port = origin.getPort() > 0 ? origin.getPort() : "https".equals(origin.getScheme()) ? 443 : 80;
        return new InetSocketAddress(origin.getHost(), port);
    }
}
