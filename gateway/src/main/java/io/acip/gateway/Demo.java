package io.acip.gateway;

import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.demo.DemoAgents;
import io.acip.gateway.demo.UdpEchoAgent;
import io.acip.wire.SkillName;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The embedded demo fabric on loopback: an edge gateway (HTTP on 8080, HTTPS on 8443, admin on 9901), a transit
 * router and a far gateway that delivers the demo agents' skills, so every demo request crosses three nodes. The
 * far gateway also delivers skill {@code demo/udp-echo} (CONNECT-UDP to {@code udp-echo.demo.acip}) to a UDP echo
 * agent on 127.0.0.1:7, or on a free port when 7 cannot be bound. No node has a static route: the transit and the
 * edge learn the demo skills from the far gateway (docs/acip-v0.md §12), and the demo is up once the edge has.
 */
public final class Demo implements AutoCloseable {
    public static final String CA_DIR = "ca";
    /** The demo agents' skills, known to the edge for path-based mapping. */
    static final List<String> SKILLS = List.of("demo/echo", "demo/sse", "demo/a2a", "demo/mcp");
    /** How long start waits for the edge to learn the demo's routes before it gives up. */
    private static final Duration LEARNING = Duration.ofSeconds(20);
    /** The demo's API key: it grants what anonymous agents get, so agents can try a credential end to end. */
    static final String DEMO_KEY = "demo-key";
    /** SHA-256 of {@link #DEMO_KEY}, as a configuration holds it. */
    private static final String DEMO_KEY_SHA256 = "c48a01f49fd0f2cc404bc3cbbc80e91457a3d41bb429a695243de4c61794155c";

    private final List<AutoCloseable> parts;
    private final Gateway edge;
    private final Path dataDir;
    private final UdpEchoAgent udpEcho;

    private Demo(List<AutoCloseable> parts, Gateway edge, Path dataDir, UdpEchoAgent udpEcho) {
        this.parts = parts;
        this.edge = edge;
        this.dataDir = dataDir;
        this.udpEcho = udpEcho;
    }

    /**
     * @param http edge listener ports (cleartext, TLS, admin); 0 picks free ones (tests)
     */
    public static Demo start(Path dataDir, int httpPort, int tlsPort, int adminPort) throws Exception {
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            DemoAgents agents = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0));
            parts.add(agents);
            UdpEchoAgent udpEcho = UdpEchoAgent.start(InetAddress.getByName("127.0.0.1"), UdpEchoAgent.ECHO_PORT, true);
            parts.add(udpEcho);
            String ca = dataDir.resolve(CA_DIR).toString();
            Gateway transit = Gateway.start(new GatewayConfig(
                    node("transit", "127.0.0.1:0", ca, List.of(), List.of()),
                    null, null, List.of(), null));
            parts.add(transit);
            String transitAt = "127.0.0.1:" + transit.node().linkAddress().getPort();
            Gateway far = Gateway.start(new GatewayConfig(
                    node("far", null, ca, List.of(new GatewayConfig.Neighbour("transit", transitAt)), List.of()),
                    null, null, List.of(new GatewayConfig.Agent("demo", agents.uri().toString(), false, false, List.of(
                            skill("demo/echo", ""), skill("demo/sse", "/sse"), skill("demo/a2a", "/a2a"),
                            skill("demo/mcp", "/mcp"))),
                            // UDP only: its HTTP origin is the demo agents', its datagrams go to the echo agent.
                            new GatewayConfig.Agent("demo-udp", agents.uri().toString(), false, false,
                                    List.of(skill("demo/udp-echo", "")), "127.0.0.1:" + udpEcho.address().getPort())),
                    null));
            parts.add(far);
            Gateway edge = Gateway.start(new GatewayConfig(
                    node("edge", null, ca, List.of(new GatewayConfig.Neighbour("transit", transitAt)), List.of()),
                    new GatewayConfig.Http("acip-edge", "127.0.0.1:" + httpPort, "127.0.0.1:" + tlsPort, null, null,
                            null, null, List.of(), SKILLS, List.of("demo"), null),
                    null, List.of(), new GatewayConfig.Admin("127.0.0.1:" + adminPort)).withAccess(
                    // Open, as a demo must be: anonymous agents and the demo key alike may call every skill.
                    new GatewayConfig.Auth(true, null, List.of(new GatewayConfig.ApiKey("demo-agent", DEMO_KEY_SHA256,
                            List.of("demo"))), null),
                    List.of(new GatewayConfig.PolicyRule(List.of("*"), true, List.of("anonymous", "authenticated"),
                            null, null, false))));
            parts.add(edge);
            for (Gateway g : List.of(edge, far)) g.node().linkReady("transit").get(20, TimeUnit.SECONDS);
            transit.node().linkReady("far").get(20, TimeUnit.SECONDS);
            transit.node().linkReady("edge").get(20, TimeUnit.SECONDS);
            awaitLearned(edge);
            return new Demo(parts, edge, dataDir, udpEcho);
        } catch (Exception e) {
            for (int i = parts.size() - 1; i >= 0; i--) parts.get(i).close();
            throw e;
        }
    }

    /** Returns once the edge has routes for every demo skill, so that the first request after start finds them. */
    private static void awaitLearned(Gateway edge) throws Exception {
        List<SkillName> skills = new ArrayList<>();
        for (String s : SKILLS) skills.add(new SkillName(s));
        skills.add(new SkillName("demo/udp-echo"));
        try {
            edge.node().control().awaitRoutes(t -> skills.stream().allMatch(s -> t.lookup(0, s).isPresent()))
                    .get(LEARNING.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the demo edge learned no routes to " + skills + " from the far gateway "
                    + "within " + LEARNING.toSeconds() + " s (see GET /routes on its admin listener)", e);
        }
    }

    private static GatewayConfig.Node node(String id, String listen, String ca, List<GatewayConfig.Neighbour> n,
                                           List<GatewayConfig.Route> routes) {
        return new GatewayConfig.Node(id, listen, null, ca, n, routes, null, null);
    }

    private static GatewayConfig.AgentSkill skill(String name, String path) {
        return new GatewayConfig.AgentSkill(name, path, "", Map.of());
    }

    public Gateway edge() {
        return edge;
    }

    /** Where the UDP echo agent behind skill {@code demo/udp-echo} listens. */
    public InetSocketAddress udpEcho() {
        return udpEcho.address();
    }

    /** What to try, printed at start. */
    public String instructions() {
        int http = edge.httpPorts()[0];
        int tls = edge.httpPorts()[1];
        String ca = dataDir.resolve(CA_DIR).resolve("ca.pem").toString();
        return String.join("\n",
                "ACIP demo fabric: edge -> transit -> far, demo agents behind far; the edge learned its routes from far.",
                "  edge HTTP  http://127.0.0.1:" + http + "   HTTPS https://127.0.0.1:" + tls + " (and HTTP/3 on "
                        + tls + "/udp)   admin http://127.0.0.1:" + edge.adminPort(),
                "  fabric CA  " + ca,
                "",
                "Try:",
                "  curl -s http://127.0.0.1:" + http + "/skills/demo/echo/hello?x=1",
                "  curl -s -H 'Host: echo.demo.acip' http://127.0.0.1:" + http + "/hello -i",
                "  curl -s -x http://127.0.0.1:" + http + " http://echo.demo.acip/forward-proxy",
                "  curl -s -x http://127.0.0.1:" + http + " --cacert " + ca + " https://echo.demo.acip/intercepted",
                "  curl -sN -x http://127.0.0.1:" + http + " 'http://sse.demo.acip/?n=5&interval_ms=200'",
                "  curl -s -x http://127.0.0.1:" + http + " http://a2a.demo.acip/.well-known/agent-card.json"
                        + "   # A2A card, its URLs through the gateway",
                "  curl -s --http2-prior-knowledge http://127.0.0.1:" + http + "/skills/demo/echo/h2c",
                "  curl -s --cacert " + ca + " https://localhost:" + tls + "/skills/demo/echo/tls",
                "  HTTPS_PROXY=http://127.0.0.1:" + http + " curl -s --cacert " + ca + " https://echo.demo.acip/env",
                "  curl -s -H 'Authorization: Bearer " + DEMO_KEY + "' http://127.0.0.1:" + http
                        + "/skills/demo/echo/with-a-key",
                "  curl -s http://127.0.0.1:" + edge.adminPort() + "/metrics",
                "  curl -s http://127.0.0.1:" + edge.adminPort() + "/routes   (learned from far: path, load, latency)",
                "  (this admin listener takes no credentials, as it is on loopback; in a node's YAML, admin.token_file"
                        + " makes it require 'Authorization: Bearer <token>', see docs/configuration.md)",
                "  CONNECT-UDP (RFC 9298; HTTP/1.1 Upgrade on " + http + ", HTTP/2 and HTTP/3 extended CONNECT on " + tls
                        + ") to the UDP echo agent,",
                "  template https://localhost:" + tls + "/.well-known/masque/udp/{target_host}/{target_port}/, e.g.:",
                "  /usr/bin/python3 examples/agents/masque_udp_h2.py 127.0.0.1:" + tls + " udp-echo.demo.acip 7 " + ca,
                "",
                "The demo edge serves anonymous agents and the API key '" + DEMO_KEY + "' alike. To require credentials,",
                "run a node with auth.anonymous: false and policy rules (docs/security.md, docs/configuration.md).",
                "");
    }

    @Override
    public void close() throws Exception {
        for (int i = parts.size() - 1; i >= 0; i--) parts.get(i).close();
    }
}
