package io.acip.gateway.udp;

import io.acip.gateway.Gateway;
import io.acip.gateway.GatewayHandler;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.demo.UdpEchoAgent;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Edge, transit and far on loopback with ephemeral ports. Behind far: skill {@code test/udp-echo} whose agent takes
 * UDP at a real echo socket, {@code test/no-udp} whose agent registered no UDP endpoint, and {@code test/udp-closed}
 * whose UDP endpoint is a closed port. Far closes UDP sockets idle for {@link #FAR_IDLE}. The edge lets UDP go direct
 * to 127.0.0.0/8 and asks {@code dns} for names.
 */
final class UdpFabric implements AutoCloseable {
    static final String FAR_IDLE = "1500ms";

    final UdpEchoAgent echo;
    final int closedPort;
    final Gateway transit;
    final Gateway far;
    final Gateway edge;
    private final List<AutoCloseable> parts = new ArrayList<>();

    UdpFabric(Path dir, FakeDnsServer dns) throws Exception {
        try {
            echo = UdpEchoAgent.start(InetAddress.getLoopbackAddress(), 0, false);
            parts.add(echo);
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                closedPort = s.getLocalPort();
            }
            String ca = dir.resolve("ca").toString();
            transit = start(new GatewayConfig(node("transit", "127.0.0.1:0", ca, List.of(), List.of(route("test", "far"))),
                    null, null, List.of(), null));
            String at = "127.0.0.1:" + transit.node().linkAddress().getPort();
            String origin = "http://127.0.0.1:9"; // never asked: these skills are reached over UDP only
            far = start(new GatewayConfig(node("far", null, ca, List.of(new GatewayConfig.Neighbour("transit", at)),
                    List.of()), null, null, List.of(
                    new GatewayConfig.Agent("echo", origin, false, false, List.of(skill("test/udp-echo")),
                            "127.0.0.1:" + echo.address().getPort()),
                    new GatewayConfig.Agent("http-only", origin, false, false, List.of(skill("test/no-udp")), null),
                    // The agent's own endpoint is closed; one of its skills takes UDP at the echo instead.
                    new GatewayConfig.Agent("split", origin, false, false, List.of(skill("test/udp-agent"),
                            new GatewayConfig.AgentSkill("test/udp-own", null, null, null,
                                    "127.0.0.1:" + echo.address().getPort())), "127.0.0.1:" + closedPort),
                    new GatewayConfig.Agent("gone", origin, false, false, List.of(skill("test/udp-closed")),
                            "127.0.0.1:" + closedPort)),
                    null, new GatewayConfig.Udp(FAR_IDLE)));
            edge = start(new GatewayConfig(node("edge", null, ca, List.of(new GatewayConfig.Neighbour("transit", at)),
                    List.of(route("test", "transit"))),
                    new GatewayConfig.Http("acip-edge", "127.0.0.1:0", "127.0.0.1:0", null, null, null, null, List.of(),
                            List.of(), List.of(), null),
                    new GatewayConfig.Egress(true, List.of("127.0.0.0/8"), null, new GatewayConfig.Dns(
                            List.of("127.0.0.1:" + dns.address().getPort()), "400ms")),
                    List.of(), null, null));
            edge.node().linkReady("transit").get(20, TimeUnit.SECONDS);
            far.node().linkReady("transit").get(20, TimeUnit.SECONDS);
            transit.node().linkReady("edge").get(20, TimeUnit.SECONDS);
            transit.node().linkReady("far").get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    GatewayHandler handler() {
        return edge.handler();
    }

    private Gateway start(GatewayConfig c) throws Exception {
        Gateway g = Gateway.start(c);
        parts.add(g);
        return g;
    }

    private static GatewayConfig.Node node(String id, String listen, String ca, List<GatewayConfig.Neighbour> n,
                                           List<GatewayConfig.Route> routes) {
        return new GatewayConfig.Node(id, listen, null, ca, n, routes, null, null);
    }

    private static GatewayConfig.Route route(String prefix, String via) {
        return new GatewayConfig.Route(prefix, via, 0L, 0, 1, "", Map.of());
    }

    private static GatewayConfig.AgentSkill skill(String name) {
        return new GatewayConfig.AgentSkill(name, "", "", Map.of());
    }

    @Override
    public void close() throws Exception {
        for (int i = parts.size() - 1; i >= 0; i--) parts.get(i).close();
    }
}
