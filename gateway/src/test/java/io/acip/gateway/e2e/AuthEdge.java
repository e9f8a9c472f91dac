package io.acip.gateway.e2e;

import io.acip.gateway.Gateway;
import io.acip.gateway.auth.Tokens;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.demo.DemoAgents;
import io.acip.gateway.demo.UdpEchoAgent;
import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One edge gateway on loopback that authenticates agents (JWTs from {@link Tokens}, API keys {@code key-ci} in group
 * {@code ci} and {@code key-intruder} in none, client certificates from the fabric CA in group {@code mtls},
 * anonymous agents where a rule admits them) and delivers the demo agents' skills locally: {@code demo/*}
 * TLS-intercepted when CONNECTed, {@code plain/*} carried as byte tunnels, {@code test/udp-echo} over UDP.
 */
final class AuthEdge implements AutoCloseable {
    static final String CI_KEY = "key-ci";
    static final String INTRUDER_KEY = "key-intruder";

    final Tokens tokens = new Tokens();
    final DemoAgents agents;
    final UdpEchoAgent echo;
    final Gateway edge;
    final Path caPem;
    final FabricCa ca;
    private final List<AutoCloseable> parts = new ArrayList<>();

    AuthEdge(Path dir) throws Exception {
        try {
            agents = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0));
            parts.add(agents);
            echo = UdpEchoAgent.start(InetAddress.getLoopbackAddress(), 0, false);
            parts.add(echo);
            Path caDir = dir.resolve("ca");
            ca = FabricCa.loadOrCreate(caDir, "auth test");
            caPem = caDir.resolve(FabricCa.CERT_FILE);
            GatewayConfig.Auth auth = new GatewayConfig.Auth(true,
                    new GatewayConfig.Jwt(tokens.writeJwks(dir.resolve("jwks.json")).toString(), null, Tokens.ISSUER,
                            Tokens.AUDIENCE, "groups", null, null),
                    List.of(new GatewayConfig.ApiKey("ci-bot", Tokens.sha256(CI_KEY), List.of("ci")),
                            new GatewayConfig.ApiKey("intruder", Tokens.sha256(INTRUDER_KEY), List.of())),
                    new GatewayConfig.Mtls(caPem.toString(), List.of("mtls")));
            List<GatewayConfig.PolicyRule> policy = List.of(
                    rule(List.of("demo/echo", "plain/echo"), List.of("group:ci", "group:mtls"), null, null, false),
                    rule(List.of("demo/secret", "plain/secret"), List.of("group:payments"), null, null, false),
                    rule(List.of("demo/limited", "plain/limited"), List.of("group:ci"),
                            new GatewayConfig.Rate(0.01, 2), null, false),
                    rule(List.of("demo/sse"), List.of("group:ci"), null, 1, false),
                    rule(List.of("demo/open"), List.of("anonymous", "authenticated"), null, null, false),
                    rule(List.of("demo/pass"), List.of("group:ci"), null, null, true),
                    rule(List.of("test/udp-echo"), List.of("group:ci"), null, 1, false));
            List<GatewayConfig.AgentSkill> skills = new ArrayList<>();
            for (String s : List.of("demo/echo", "plain/echo", "demo/secret", "plain/secret", "demo/limited",
                    "plain/limited", "demo/open", "demo/pass", "demo/unruled")) {
                // plain/* are CONNECTed as byte tunnels, which a skill takes only when it declares them.
                skills.add(new GatewayConfig.AgentSkill(s, "", "", Map.of(), null, null,
                        s.startsWith("plain/") ? "tcp" : null));
            }
            skills.add(new GatewayConfig.AgentSkill("demo/sse", "/sse", "", Map.of()));
            skills.add(new GatewayConfig.AgentSkill("test/udp-echo", "", "", Map.of(),
                    "127.0.0.1:" + echo.address().getPort()));
            GatewayConfig c = new GatewayConfig(
                    new GatewayConfig.Node("edge", null, null, caDir.toString(), List.of(), List.of(), null, null),
                    new GatewayConfig.Http("acip-edge", "127.0.0.1:0", "127.0.0.1:0", null, null, null, null,
                            List.of(), List.of(), List.of("demo"), "5s"),
                    null, List.of(new GatewayConfig.Agent("demo", agents.uri().toString(), false, false, skills)),
                    null).withAccess(auth, policy);
            edge = Gateway.start(c);
            parts.add(edge);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private static GatewayConfig.PolicyRule rule(List<String> skills, List<String> allow, GatewayConfig.Rate rate,
                                                 Integer concurrency, boolean pass) {
        return new GatewayConfig.PolicyRule(skills, false, allow, rate, concurrency, pass);
    }

    int http() {
        return edge.httpPorts()[0];
    }

    int https() {
        return edge.httpPorts()[1];
    }

    /** A client certificate from the fabric CA naming {@code acip://node/<id>}, written as PEM for curl. */
    Path[] clientCertificate(Path dir, String id) throws Exception {
        IssuedIdentity identity = ca.issueNode(id, Duration.ofDays(1));
        Path cert = dir.resolve(id + ".pem");
        Path key = dir.resolve(id + "-key.pem");
        identity.writePem(cert, key);
        return new Path[] {cert, key};
    }

    @Override
    public void close() throws Exception {
        for (int i = parts.size() - 1; i >= 0; i--) parts.get(i).close();
    }
}
