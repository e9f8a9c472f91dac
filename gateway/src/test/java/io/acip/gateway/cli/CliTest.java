package io.acip.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.Gateway;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.demo.DemoAgents;
import io.acip.tls.Pem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code acip-gateway} as an operator runs it: a JVM of its own per command, its exit code and what it printed;
 * the admin commands against a node's token-protected admin listener over a real socket.
 */
class CliTest {
    private static final String TOKEN = "cli-test-token";
    @TempDir
    static Path dir;
    static DemoAgents demo;
    static Gateway node;
    static Path tokenFile;

    record Run(int exit, String out) {
    }

    static Run cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.leakDetection.level=disabled", "-cp", System.getProperty("java.class.path"),
                io.acip.gateway.Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command did not end: " + out);
        return new Run(p.exitValue(), out);
    }

    @BeforeAll
    static void start() throws Exception {
        demo = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0));
        tokenFile = dir.resolve("admin.token");
        Files.writeString(tokenFile, TOKEN + "\n");
        node = Gateway.start(new GatewayConfig(new GatewayConfig.Node("solo", null, null, dir.resolve("node-ca")
                .toString(), List.of(), List.of(new GatewayConfig.Route("routed", "elsewhere", 0L, 0, 1, "", Map.of())),
                null, null), null, null, List.of(new GatewayConfig.Agent("demo", demo.uri().toString(), false, false,
                List.of(new GatewayConfig.AgentSkill("demo/echo", "", "", Map.of())))),
                new GatewayConfig.Admin("127.0.0.1:0", tokenFile.toString(), null, null, null, false, List.of(),
                        List.of())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) node.close();
        if (demo != null) demo.close();
    }

    @Test
    void everyExampleConfigurationPassesTheCheck() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("..", "examples", "configs"))) {
            files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 3, "examples/configs: " + files);
        for (Path f : files) {
            Run r = cli("check-config", f.toString());
            assertEquals(0, r.exit(), f + ": " + r.out());
            assertTrue(r.out().contains(f + ": ok"), r.out());
        }
    }

    @Test
    void aBadConfigurationIsRefusedWithItsFieldPathAndNothingStarts() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "node:\n  id: edge\n  neighbours:\n    - id: transit\n      address: nowhere\n");
        Run r = cli("check-config", bad.toString());
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("node.neighbours[0].address"), r.out());
        Run missing = cli("check-config", dir.resolve("absent.yaml").toString());
        assertEquals(2, missing.exit(), missing.out());
        Run run = cli("run", "--config", bad.toString());
        assertEquals(2, run.exit(), run.out());
        assertTrue(run.out().contains("node.neighbours[0].address"), run.out());
        Run legacy = cli("--config", bad.toString());
        assertEquals(2, legacy.exit(), "--config FILE works as before: " + legacy.out());
    }

    @Test
    void helpVersionAndUsageErrors() throws Exception {
        Run help = cli("--help");
        assertEquals(0, help.exit(), help.out());
        for (String c : List.of("run", "check-config", "ca", "routes", "agents", "drain", "version")) {
            assertTrue(help.out().contains(c), c + " listed: " + help.out());
        }
        assertTrue(help.out().contains("Exit codes"), help.out());
        Run sub = cli("ca", "issue", "--help");
        assertEquals(0, sub.exit(), sub.out());
        assertTrue(sub.out().contains("--ca"), sub.out());
        Run version = cli("version");
        assertEquals(0, version.exit(), version.out());
        assertTrue(version.out().startsWith("acip-gateway "), version.out());
        assertEquals(2, cli("no-such-command").exit());
        assertEquals(2, cli("run").exit(), "run needs --config");
    }

    @Test
    void caInitThenIssueNodeSkillAndServerCertificates() throws Exception {
        Path ca = dir.resolve("ops-ca");
        assertEquals(0, cli("ca", "init", "--dir", ca.toString()).exit());
        assertEquals(1, cli("ca", "init", "--dir", ca.toString()).exit(), "an existing CA is never overwritten");
        Path out = dir.resolve("issued");
        assertEquals(0, cli("ca", "issue", "node", "edge-1", "--ca", ca.toString(), "--out", out.toString()).exit());
        assertEquals(0, cli("ca", "issue", "skill", "bank-a/payments", "--ca", ca.toString(), "--out", out.toString())
                .exit());
        Run server = cli("ca", "issue", "server", "gw.example", "--dns", "localhost", "--ip", "127.0.0.1", "--ca",
                ca.toString(), "--out", out.toString(), "--days", "30");
        assertEquals(0, server.exit(), server.out());
        X509Certificate root = Pem.readCertificates(ca.resolve("ca.pem")).get(0);
        assertSan(out.resolve("edge-1.pem"), root, "acip://node/edge-1");
        assertSan(out.resolve("bank-a_payments.pem"), root, "acip://skill/bank-a/payments");
        assertSan(out.resolve("gw.example.pem"), root, "localhost");
        assertTrue(Files.exists(out.resolve("edge-1-key.pem")));
        Run noCa = cli("ca", "issue", "node", "x", "--ca", dir.resolve("nothing").toString());
        assertEquals(1, noCa.exit(), noCa.out());
        assertEquals(2, cli("ca", "issue", "router", "x", "--ca", ca.toString()).exit(), "unknown kind");
    }

    private static void assertSan(Path pem, X509Certificate root, String expected) throws Exception {
        X509Certificate c = Pem.readCertificates(pem).get(0);
        c.verify(root.getPublicKey());
        StringBuilder names = new StringBuilder();
        for (List<?> san : c.getSubjectAlternativeNames()) names.append(san.get(1)).append(' ');
        assertTrue(names.toString().contains(expected), pem + ": " + names);
    }

    @Test
    void routesAgentsAndDrainAgainstTheAdminListener() throws Exception {
        String admin = "http://127.0.0.1:" + node.adminPort();
        Run routes = cli("routes", "--admin", admin, "--token-file", tokenFile.toString());
        assertEquals(0, routes.exit(), routes.out());
        assertTrue(routes.out().contains("\"prefix\" : \"routed\""), routes.out());
        Run agents = cli("agents", "--admin", admin, "--token-file", tokenFile.toString());
        assertEquals(0, agents.exit(), agents.out());
        assertTrue(agents.out().contains("\"agent\" : \"demo\"") && agents.out().contains("demo/echo"), agents.out());
        Run refused = cli("routes", "--admin", admin);
        assertEquals(1, refused.exit(), "no token: " + refused.out());
        assertTrue(refused.out().contains("401"), refused.out());
        Run unreachable = cli("agents", "--admin", "http://127.0.0.1:1");
        assertEquals(1, unreachable.exit(), unreachable.out());
        assertTrue(unreachable.out().contains("unreachable"), unreachable.out());
        // Last: the node stops.
        Run drain = cli("drain", "--admin", admin, "--token-file", tokenFile.toString());
        assertEquals(0, drain.exit(), drain.out());
        node.whenDrained().get(40, TimeUnit.SECONDS);
    }
}
