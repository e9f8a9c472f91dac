package io.acip.gateway.bridge;

import io.acip.node.LocalInstance;
import io.acip.node.LocalSkill;
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

/** An edge and a far node on one QUIC link over loopback; skills under {@code demo} route from the edge to the far. */
final class TwoNodes implements AutoCloseable {
    final FabricCa ca = FabricCa.generate("bridge test");
    final Node edge;
    final Node far;

    TwoNodes() throws Exception {
        far = node("far", List.of());
        edge = node("edge", List.of(new NodeConfig.Neighbour("far", far.linkAddress())));
        edge.linkReady("far").get(10, TimeUnit.SECONDS);
        far.linkReady("edge").get(10, TimeUnit.SECONDS);
        edge.addRoute(0, new SkillName("demo"), new NextHop.Neighbour("far", 0, 1, "", Map.of()));
    }

    private Node node(String id, List<NodeConfig.Neighbour> neighbours) throws InterruptedException {
        IssuedIdentity identity = ca.issueNode(id, Duration.ofDays(1));
        return Node.start(NodeConfig.defaults(id, new InetSocketAddress("127.0.0.1", 0), identity, ca.certificate(),
                neighbours));
    }

    /** Serves {@code skill} at the far node as instance {@code instanceId}, with a certificate for it. */
    void serve(String skill, String instanceId, LocalSkill handler) {
        IssuedIdentity id = ca.issueSkill(skill, Duration.ofDays(1));
        far.attach(0, new SkillName(skill), LocalInstance.of(instanceId, new SkillIdentity(id.privateKey(),
                id.certificate()), handler));
    }

    @Override
    public void close() {
        edge.close();
        far.close();
    }
}
