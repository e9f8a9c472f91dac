package io.acip.node;

import io.acip.link.LinkConfig;
import io.acip.routing.NextHop;
import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import io.acip.wire.SkillName;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Test fabric: one CA, nodes on loopback with ephemeral ports, closed together. */
final class Fabric implements AutoCloseable {
    static final Duration VALIDITY = Duration.ofDays(1);
    final FabricCa ca = FabricCa.generate("test fabric");
    private final List<Node> nodes = new ArrayList<>();

    Node node(String id, List<NodeConfig.Neighbour> neighbours) throws InterruptedException {
        return node(id, neighbours, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMinutes(1));
    }

    Node node(String id, List<NodeConfig.Neighbour> neighbours, Duration setup, Duration attempt, Duration idle)
            throws InterruptedException {
        return start(id, new InetSocketAddress("127.0.0.1", 0), neighbours, setup, attempt, idle);
    }

    /** A node listening on a given address, e.g. one that comes back where an earlier one was. */
    Node nodeAt(String id, InetSocketAddress listen) throws InterruptedException {
        return nodeAt(id, listen, List.of());
    }

    Node nodeAt(String id, InetSocketAddress listen, List<NodeConfig.Neighbour> neighbours) throws InterruptedException {
        return start(id, listen, neighbours, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMinutes(1));
    }

    /** Route exchange settings of the nodes started from now on. */
    io.acip.control.ControlConfig control = io.acip.control.ControlConfig.DEFAULT;

    /** Event loops of the nodes started from now on; 0 for one per available processor. */
    int eventLoops = 0;

    /** Concurrent streams each node lets a neighbour open on a link (QUIC initial_max_streams_bidi). */
    long maxStreams = 10_000;

    private Node start(String id, InetSocketAddress listen, List<NodeConfig.Neighbour> neighbours, Duration setup,
                       Duration attempt, Duration idle) throws InterruptedException {
        return start(id, listen, neighbours, setup, attempt, idle, c -> c);
    }

    /** A node on loopback whose configuration {@code tweak} changes. */
    Node node(String id, List<NodeConfig.Neighbour> neighbours, java.util.function.UnaryOperator<NodeConfig> tweak)
            throws InterruptedException {
        return start(id, new InetSocketAddress("127.0.0.1", 0), neighbours, Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofMinutes(1), tweak);
    }

    private Node start(String id, InetSocketAddress listen, List<NodeConfig.Neighbour> neighbours, Duration setup,
                       Duration attempt, Duration idle, java.util.function.UnaryOperator<NodeConfig> tweak)
            throws InterruptedException {
        IssuedIdentity identity = ca.issueNode(id, VALIDITY);
        NodeConfig config = NodeConfig.defaults(id, listen, identity, ca.certificate(), neighbours).withTimeouts(setup, attempt, idle).withLink(new LinkConfig(1700, 1 << 20, 16 << 20,
                maxStreams, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofSeconds(1),
                1 << 20)).withEventLoops(eventLoops);
        Node n = Node.start(tweak.apply(config), control);
        nodes.add(n);
        return n;
    }

    /** Edge, transit and far in a line: edge and far dial transit; skills under {@code demo} route edge→transit→far. */
    record Line(Node edge, Node transit, Node far) {
    }

    Line line() throws Exception {
        Node transit = node("transit", List.of());
        Node far = node("far", List.of(neighbour(transit)));
        Node edge = node("edge", List.of(neighbour(transit)));
        awaitLink(edge, transit);
        awaitLink(far, transit);
        SkillName demo = new SkillName("demo");
        edge.addRoute(0, demo, new NextHop.Neighbour("transit", 0, 1, "", Map.of()));
        transit.addRoute(0, demo, new NextHop.Neighbour("far", 0, 1, "", Map.of()));
        return new Line(edge, transit, far);
    }

    /** {@link #line()} with {@link Echo} serving {@code demo/echo} on far as {@code echo-1}. */
    Line echoLine() throws Exception {
        Line line = line();
        serve(line.far(), "demo/echo", "echo-1", Echo.SKILL);
        return line;
    }

    static NodeConfig.Neighbour neighbour(Node n) {
        return new NodeConfig.Neighbour(n.nodeId(), n.linkAddress());
    }

    SkillIdentity skill(String name) {
        IssuedIdentity id = ca.issueSkill(name, VALIDITY);
        return new SkillIdentity(id.privateKey(), id.certificate());
    }

    /** Serves {@code skill} on {@code node} with {@code handlerFactory}. */
    void serve(Node node, String skill, String instance, LocalSkill handlerFactory) {
        node.attach(0, new SkillName(skill), LocalInstance.of(instance, skill(skill), handlerFactory));
    }

    static void awaitLink(Node a, Node b) throws Exception {
        a.linkReady(b.nodeId()).get(10, TimeUnit.SECONDS);
        b.linkReady(a.nodeId()).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        for (Node n : nodes) n.close();
    }
}
