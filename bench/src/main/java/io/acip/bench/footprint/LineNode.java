package io.acip.bench.footprint;

import io.acip.node.LocalInstance;
import io.acip.node.Node;
import io.acip.node.NodeConfig;
import io.acip.node.SkillIdentity;
import io.acip.routing.NextHop;
import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import io.acip.wire.SkillName;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node of the measured line in this JVM: it dials the next node (if any) and routes {@link #SKILL} to it, or
 * serves the skill itself with an {@link IdleSkill}. The line's first node opens the sessions.
 */
public final class LineNode implements FootprintNode {
    public static final SkillName SKILL = new SkillName("bench/idle");
    private static final Duration VALIDITY = Duration.ofHours(2);

    private final Node node;
    private IdleSessions sessions;

    private LineNode(Node node) {
        this.node = node;
    }

    /**
     * Starts node {@code id}; {@code next} is the neighbour it dials and routes the skill to, null for the node that
     * serves it. Returns once the link to {@code next} is up.
     */
    public static LineNode start(FabricCa ca, String id, NodeConfig.Neighbour next, Settings settings)
            throws Exception {
        IssuedIdentity identity = ca.issueNode(id, VALIDITY);
        NodeConfig config = NodeConfig.defaults(id, new InetSocketAddress("127.0.0.1", 0), identity, ca.certificate(),
                        next == null ? List.of() : List.of(next))
                .withTimeouts(settings.setupTimeout(), settings.setupTimeout(), settings.idleTimeout());
        if (settings.maxSessions() > 0) config = config.withLimits(settings.maxSessions(), config.acceptFrom());
        Node node = Node.start(config);
        LineNode line = new LineNode(node);
        try {
            if (next == null) {
                IssuedIdentity skill = ca.issueSkill(SKILL.value(), VALIDITY);
                node.attach(0, SKILL, LocalInstance.of("idle-1", new SkillIdentity(skill.privateKey(),
                        skill.certificate()), new IdleSkill()));
            } else {
                node.addRoute(0, SKILL, new NextHop.Neighbour(next.nodeId(), 0, 1, "", Map.of()));
                node.linkReady(next.nodeId()).get(IdleSessions.WAIT_SECONDS, TimeUnit.SECONDS);
            }
            return line;
        } catch (Exception | Error e) {
            node.close();
            throw e;
        }
    }

    /**
     * What the nodes are configured with beyond the defaults.
     *
     * @param setupTimeout how long an initiator waits for SETUP_ACK, and a node for its next hop's answer
     * @param maxSessions {@code node.max_sessions}, 0 for the default
     */
    public record Settings(Duration setupTimeout, Duration idleTimeout, int maxSessions) {
        /** What a node has unless configured otherwise. */
        static final NodeConfig DEFAULTS = NodeConfig.defaults("n", null, null, null, List.of());

        /** {@code node.max_sessions} unless configured. */
        public static int defaultMaxSessions() {
            return DEFAULTS.maxSessions();
        }

    }

    @Override
    public String id() {
        return node.nodeId();
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public InetSocketAddress address() {
        return node.linkAddress();
    }

    @Override
    public void awaitLink(String peer) throws Exception {
        node.linkReady(peer).get(IdleSessions.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void prepare(int capacity) {
        sessions = new IdleSessions(node, SKILL, capacity);
    }

    /** The sessions opened from here, once {@link #prepare}d. */
    IdleSessions sessions() {
        return sessions;
    }

    @Override
    public IdleSessions.Result open(int count, int window) throws Exception {
        return sessions.open(count, window, asked -> {
        });
    }

    @Override
    public int endAll() throws Exception {
        return sessions.endAll(1000, left -> {
        });
    }

    @Override
    public long resetAfterOpen() {
        return sessions == null ? 0 : sessions.resetAfterOpen();
    }

    @Override
    public int activeSessions() throws Exception {
        return node.activeSessions().get(IdleSessions.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        node.close();
    }
}
