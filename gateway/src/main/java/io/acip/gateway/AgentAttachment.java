package io.acip.gateway;

import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.AgentSkill;
import io.acip.gateway.bridge.BridgeConfig;
import io.acip.gateway.bridge.FarExchange;
import io.acip.gateway.bridge.FarTunnel;
import io.acip.gateway.mapping.SkillMapper;
import io.acip.gateway.origin.OriginConfig;
import io.acip.gateway.origin.OriginForwarder;
import io.acip.gateway.udp.UdpRelay;
import io.acip.node.LocalInstance;
import io.acip.node.Node;
import io.acip.node.SessionHandler;
import io.acip.node.SessionRefusedException;
import io.acip.node.SkillIdentity;
import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import io.acip.wire.ResetCode;
import io.acip.wire.TlvType;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes an HTTP agent's skills routes at this node (DESIGN §5): each skill becomes a local instance whose sessions
 * are delivered to the agent's origin, Binary HTTP sessions through the origin forwarder and byte-stream sessions
 * as a TCP connection to the origin's host and port; datagram-mode {@code udp} sessions go to the agent's UDP
 * endpoint. A session whose mode does not fit its payload protocol is refused, so UDP never reaches the HTTP origin
 * and HTTP never reaches the UDP endpoint. The node proves each skill with a certificate its CA issues.
 */
public final class AgentAttachment {
    private static final Duration SKILL_CERT_VALIDITY = Duration.ofDays(30);

    private final Node node;
    private final FabricCa ca;
    private final OriginForwarder forwarder;
    private final BridgeConfig bridge;
    private final SkillMapper mapper;
    private final boolean h2c;
    private final UdpRelay udp;
    private final Map<String, AgentRegistration> attached = new ConcurrentHashMap<>();

    AgentAttachment(Node node, FabricCa ca, OriginForwarder forwarder, BridgeConfig bridge, SkillMapper mapper,
                    boolean h2c, UdpRelay udp) {
        this.node = node;
        this.ca = ca;
        this.forwarder = forwarder;
        this.bridge = bridge;
        this.mapper = mapper;
        this.h2c = h2c;
        this.udp = udp;
    }

    /** Attaches (or re-attaches, replacing its skills) an agent. */
    public synchronized void attach(AgentRegistration agent, boolean agentH2c) {
        AgentRegistration old = attached.put(agent.agent(), agent);
        if (old != null) detach(old);
        for (AgentSkill skill : agent.skills()) {
            IssuedIdentity id = ca.issueSkill(skill.name().value(), SKILL_CERT_VALIDITY);
            OriginConfig origin = OriginConfig.of(agent.originFor(skill)).withH2c(agentH2c || h2c);
            InetSocketAddress endpoint = endpoint(agent.origin());
            node.attach(0, skill.name(), new LocalInstance(instanceId(agent, skill), 0, 1, skill.region().orElse(""),
                    skill.attributes(), new SkillIdentity(id.privateKey(), id.certificate()), incoming -> {
                        String protocol = incoming.metadata().string(TlvType.PAYLOAD_PROTOCOL).orElse("bhttp");
                        boolean datagrams = protocol.equals("udp");
                        if (incoming.datagramMode() != datagrams) {
                            throw new SessionRefusedException(ResetCode.PROTOCOL_VIOLATION, "payload protocol "
                                    + protocol + (datagrams ? " needs" : " cannot ride") + " a datagram-mode session");
                        }
                        return switch (protocol) {
                            case "bhttp" -> new FarExchange(incoming, bridge,
                                    ex -> forwarder.forward(ex, origin, ex.request().path(), false));
                            case "bytes" -> {
                                // A byte tunnel reaches any path at the origin: only for skills that declare it.
                                if (!skill.tcpTunnel()) {
                                    throw new SessionRefusedException(ResetCode.POLICY_DENIED, "skill "
                                            + skill.name() + " takes no byte tunnels (tunnel: tcp)");
                                }
                                yield tunnel(endpoint);
                            }
                            case "udp" -> udp.deliver(agent.agent(), skill.udp().or(agent::udp), skill.name());
                            default -> throw new SessionRefusedException(ResetCode.DESTINATION_UNAVAILABLE,
                                    "agent " + agent.agent() + " takes no " + protocol + " sessions");
                        };
                    }));
            mapper.register(skill.name());
        }
    }

    private static SessionHandler tunnel(InetSocketAddress endpoint) {
        return new FarTunnel(endpoint, 5000);
    }

    public synchronized void detach(String agentName) {
        AgentRegistration agent = attached.remove(agentName);
        if (agent != null) detach(agent);
    }

    private void detach(AgentRegistration agent) {
        for (AgentSkill skill : agent.skills()) {
            node.detach(0, skill.name(), instanceId(agent, skill));
            mapper.unregister(skill.name());
        }
    }

    public List<AgentRegistration> agents() {
        return List.copyOf(attached.values());
    }

    private static String instanceId(AgentRegistration agent, AgentSkill skill) {
        return agent.agent() + ":" + skill.name();
    }

    private static InetSocketAddress endpoint(URI origin) {
        int port = origin.getPort() > 0 ? origin.getPort() : "https".equals(origin.getScheme()) ? 443 : 80;
        return new InetSocketAddress(origin.getHost(), port);
    }
}
