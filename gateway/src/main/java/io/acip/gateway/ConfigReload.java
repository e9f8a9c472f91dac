package io.acip.gateway;

import io.acip.control.RouteAttributes;
import io.acip.gateway.attach.AgentCardFetcher;
import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.AgentSkill;
import io.acip.gateway.attach.UdpEndpoint;
import io.acip.gateway.auth.AgentAuthenticator;
import io.acip.gateway.auth.AuthConfig;
import io.acip.gateway.config.ConfigDiff;
import io.acip.gateway.config.ConfigException;
import io.acip.gateway.config.ConfigLoader;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.mapping.SkillMapper;
import io.acip.gateway.origin.OriginForwarder;
import io.acip.gateway.policy.PolicyConfig;
import io.acip.node.Node;
import io.acip.routing.NextHop;
import io.acip.wire.SkillName;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Applies a new configuration to a running node (SIGHUP, {@code POST /reload}): routes, mapping rules and skills,
 * authentication and policy (with its limits), and configured agents change in place; sessions and exchanges in
 * flight go on with what they started with. A change that needs a restart (listen addresses, node ID, links,
 * certificates, ...) refuses the whole reload by the fields' names, and so does an invalid document: the running
 * configuration stays.
 */
final class ConfigReload {
    private static final Logger LOG = Logger.getLogger(ConfigReload.class.getName());
    private final Node node;
    private final SkillMapper mapper;
    private final AgentAttachment agents;
    private final GatewayHandler handler;
    private final OriginForwarder forwarder;
    private final String name;
    private GatewayConfig running;

    ConfigReload(GatewayConfig running, Node node, SkillMapper mapper, AgentAttachment agents, GatewayHandler handler,
                 OriginForwarder forwarder, String name) {
        this.running = running;
        this.node = node;
        this.mapper = mapper;
        this.agents = agents;
        this.handler = handler;
        this.forwarder = forwarder;
        this.name = name;
    }

    synchronized GatewayConfig running() {
        return running;
    }

    /** Applies {@code next}; returns the sections that changed, or throws with the reason nothing did. */
    synchronized List<String> apply(GatewayConfig next) throws ConfigException {
        ConfigLoader.validate(next);
        List<String> restart = ConfigDiff.needingRestart(running, next);
        if (!restart.isEmpty()) {
            throw new ConfigException(String.join(", ", restart) + ": " + (restart.size() == 1 ? "changing it needs"
                    : "changing them needs") + " a restart; nothing was reloaded");
        }
        List<String> changed = ConfigDiff.reloaded(running, next);
        // Everything that can fail is built before anything changes.
        GatewayHandler.Access access = null;
        if (handler != null && (changed.contains("auth") || changed.contains("policy"))) {
            AgentAuthenticator authenticator = AuthConfig.authenticator(next.auth(), name);
            access = new GatewayHandler.Access(authenticator, PolicyConfig.policy(next.policy(),
                    authenticator.enabled()));
        }
        List<AgentRegistration> attach = new ArrayList<>();
        List<AgentAttachment.Delivery> deliveries = new ArrayList<>();
        Map<String, GatewayConfig.Agent> before = new HashMap<>();
        running.agents().forEach(a -> before.put(a.name(), a));
        Set<String> names = new HashSet<>();
        for (GatewayConfig.Agent a : next.agents()) {
            names.add(a.name());
            if (!a.equals(before.get(a.name()))) {
                attach.add(registration(a, forwarder));
                deliveries.add(delivery(a));
            }
        }

        if (changed.contains("node.routes")) routes(running.node().routes(), next.node().routes());
        if (next.http() != null) {
            if (changed.contains("http.rules")) mapper.replaceRules(Gateway.rules(next.http()));
            if (changed.contains("http.skills")) skills(running.http().skills(), next.http().skills());
        }
        agents.reserveOnly(next);
        if (changed.contains("agents")) agents.replaceConfigured(attach, deliveries, names);
        if (access != null) handler.access(access);
        running = next;
        LOG.info(() -> "node " + node.nodeId() + " reloaded: " + (changed.isEmpty() ? "nothing changed" : changed));
        return changed;
    }

    /** New and changed routes first (so a prefix never goes missing), then those gone. */
    private void routes(List<GatewayConfig.Route> was, List<GatewayConfig.Route> now) {
        for (GatewayConfig.Route r : now) {
            if (was.contains(r)) continue;
            node.addRoute(r.tenant(), new SkillName(r.prefix()), new NextHop.Neighbour(r.via(), r.priority(),
                    r.weight(), r.region(), r.attributes()));
            if (r.advertise()) {
                node.control().originate(r.tenant(), new SkillName(r.prefix()), "static:" + r.via(),
                        new RouteAttributes(RouteAttributes.ORIGIN_STATIC, r.region(), r.attributes(), -1, -1));
            }
        }
        for (GatewayConfig.Route r : was) {
            if (now.contains(r)) continue;
            boolean same = now.stream().anyMatch(n -> n.tenant() == r.tenant() && n.prefix().equals(r.prefix())
                    && n.via().equals(r.via()));
            if (!same) node.routes().remove(r.tenant(), new SkillName(r.prefix()), "node:" + r.via());
            boolean stillAdvertised = now.stream().anyMatch(n -> n.tenant() == r.tenant()
                    && n.prefix().equals(r.prefix()) && n.via().equals(r.via()) && n.advertise());
            if (r.advertise() && !stillAdvertised) {
                node.control().withdraw(r.tenant(), new SkillName(r.prefix()), "static:" + r.via());
            }
        }
    }

    private void skills(List<String> was, List<String> now) {
        for (String s : now) if (!was.contains(s)) mapper.register(new SkillName(s));
        for (String s : was) if (!now.contains(s)) mapper.unregister(new SkillName(s));
    }

    /** How a configured agent's origin is reached (h2c, its card's path, Host and X-Forwarded handling). */
    static AgentAttachment.Delivery delivery(GatewayConfig.Agent a) {
        return new AgentAttachment.Delivery(a.h2c(), a.cardPath(), a.hostHeader().equals("preserve")
                ? io.acip.gateway.origin.OriginConfig.HostHeader.PRESERVE
                : io.acip.gateway.origin.OriginConfig.HostHeader.ORIGIN, a.xForwarded());
    }

    /** A configured agent as attached: its skills from the file, and from its Agent Card where it asks. */
    static AgentRegistration registration(GatewayConfig.Agent a, OriginForwarder forwarder) throws ConfigException {
        URI origin = URI.create(a.origin());
        List<AgentSkill> skills = new ArrayList<>();
        for (GatewayConfig.AgentSkill s : a.skills()) {
            skills.add(new AgentSkill(new SkillName(s.name()), "", s.region().isEmpty() ? Optional.empty()
                    : Optional.of(s.region()), s.attributes(), s.path(),
                    Optional.ofNullable(s.udp()).map(UdpEndpoint::parse),
                    Optional.ofNullable(s.allow()).map(io.acip.gateway.policy.AllowList::parse),
                    "tcp".equals(s.tunnel()), s.capacity() == null ? AgentSkill.DEFAULT_CAPACITY : s.capacity()));
        }
        if (a.card()) {
            AgentRegistration fromCard;
            try {
                fromCard = new AgentCardFetcher(forwarder.httpClient(), Duration.ofSeconds(10))
                        .fetch(origin, new SkillName(a.name())).get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new ConfigException("agents[" + a.name() + "].card: the Agent Card could not be read: " + e);
            }
            for (AgentSkill s : fromCard.skills()) {
                if (skills.stream().noneMatch(k -> k.name().equals(s.name()))) skills.add(s);
            }
        }
        Optional<UdpEndpoint> udp = a.udp() == null ? Optional.empty() : Optional.of(UdpEndpoint.parse(a.udp()));
        return new AgentRegistration(a.name(), origin, udp, skills);
    }
}
