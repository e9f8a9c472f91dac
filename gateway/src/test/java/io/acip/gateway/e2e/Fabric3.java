package io.acip.gateway.e2e;

import io.acip.gateway.Gateway;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.demo.DemoAgents;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Edge gateway, transit router and far gateway on loopback with ephemeral ports, the demo agents behind far, and
 * routes for {@code demo} (TLS-intercepted at the edge) and {@code plain} (carried as byte streams when CONNECTed:
 * {@code plain/echo} declares {@code tunnel: tcp}).
 */
final class Fabric3 implements AutoCloseable {
    final DemoAgents agents;
    final Gateway transit;
    final Gateway far;
    final Gateway edge;
    final Path caPem;
    private final List<AutoCloseable> parts = new ArrayList<>();

    Fabric3(Path dir, List<GatewayConfig.Agent> extraAgents, boolean directEgress) throws Exception {
        this(dir, extraAgents, directEgress, List.of("demo"), null);
    }

    /** @param streamIdle the edge's {@code http.stream_idle_timeout}, or null for its default */
    Fabric3(Path dir, List<GatewayConfig.Agent> extraAgents, boolean directEgress, String streamIdle)
            throws Exception {
        this(dir, extraAgents, directEgress, List.of("demo"), streamIdle);
    }

    /**
     * @param intercept skill prefixes the edge intercepts CONNECTs to (none: the edge cannot intercept at all)
     * @param streamIdle the edge's {@code http.stream_idle_timeout}, or null for its default
     */
    Fabric3(Path dir, List<GatewayConfig.Agent> extraAgents, boolean directEgress, List<String> intercept,
            String streamIdle)
            throws Exception {
        try {
            agents = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0));
            parts.add(agents);
            String ca = dir.resolve("ca").toString();
            caPem = dir.resolve("ca").resolve("ca.pem");
            transit = start(new GatewayConfig(node("transit", "127.0.0.1:0", ca, List.of(),
                    List.of(route("demo", "far"), route("plain", "far"), route("test", "far"))), null, null, List.of(), null));
            String at = "127.0.0.1:" + transit.node().linkAddress().getPort();
            List<GatewayConfig.Agent> farAgents = new ArrayList<>(List.of(new GatewayConfig.Agent("demo",
                    agents.uri().toString(), false, false, List.of(skill("demo/echo", ""), skill("demo/sse", "/sse"),
                    skill("demo/a2a", "/a2a"), skill("demo/mcp", "/mcp"), tunnel("plain/echo")))));
            farAgents.addAll(extraAgents);
            far = start(new GatewayConfig(node("far", null, ca, List.of(new GatewayConfig.Neighbour("transit", at)),
                    List.of()), null, null, farAgents, new GatewayConfig.Admin("127.0.0.1:0")));
            edge = start(new GatewayConfig(node("edge", null, ca, List.of(new GatewayConfig.Neighbour("transit", at)),
                    List.of(route("demo", "transit"), route("plain", "transit"), route("test", "transit"))),
                    new GatewayConfig.Http("acip-edge", "127.0.0.1:0", "127.0.0.1:0", null, null, null, null,
                            List.of(), List.of("demo/echo", "demo/sse", "demo/a2a", "demo/mcp", "plain/echo"),
                            intercept, "5s", null, null, null, streamIdle),
                    new GatewayConfig.Egress(directEgress, List.of()), List.of(), new GatewayConfig.Admin("127.0.0.1:0")));
            edge.node().linkReady("transit").get(20, TimeUnit.SECONDS);
            far.node().linkReady("transit").get(20, TimeUnit.SECONDS);
            transit.node().linkReady("edge").get(20, TimeUnit.SECONDS);
            transit.node().linkReady("far").get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private Gateway start(GatewayConfig c) throws Exception {
        Gateway g = Gateway.start(c);
        parts.add(g);
        return g;
    }

    static GatewayConfig.Node node(String id, String listen, String ca, List<GatewayConfig.Neighbour> n,
                                   List<GatewayConfig.Route> routes) {
        return new GatewayConfig.Node(id, listen, null, ca, n, routes, null, null);
    }

    static GatewayConfig.Route route(String prefix, String via) {
        return new GatewayConfig.Route(prefix, via, 0L, 0, 1, "", Map.of());
    }

    static GatewayConfig.AgentSkill skill(String name, String path) {
        return new GatewayConfig.AgentSkill(name, path, "", Map.of());
    }

    /** A skill that takes CONNECT byte tunnels to its agent ({@code tunnel: tcp}). */
    static GatewayConfig.AgentSkill tunnel(String name) {
        return new GatewayConfig.AgentSkill(name, "", "", Map.of(), null, null, "tcp");
    }

    int http() {
        return edge.httpPorts()[0];
    }

    int https() {
        return edge.httpPorts()[1];
    }

    String proxy() {
        return "http://127.0.0.1:" + http();
    }

    /** Sends a CONNECT for {@code authority} to the edge on a plain socket and returns the answer's head. */
    String connectHead(String authority) throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), http())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            int b;
            while (head.indexOf("\r\n\r\n") < 0 && (b = in.read()) >= 0) head.append((char) b);
            return head.toString();
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = parts.size() - 1; i >= 0; i--) parts.get(i).close();
    }
}
