package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.Gateway;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.demo.DemoAgents;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store (issue 15): an agent registered through the admin API is served again after the node restarts,
 * without registering again; one detached before the restart is not; a file the node cannot read is logged and the
 * node starts all the same.
 */
class RegistryRestartTest {
    @TempDir
    Path dir;

    private GatewayConfig config() {
        return new GatewayConfig(new GatewayConfig.Node("solo", null, dir.resolve("data").toString(), null, List.of(),
                List.of(), null, null), new GatewayConfig.Http("solo", "127.0.0.1:0", null, null, null, null, null,
                List.of(), List.of(), List.of(), "5s"), null, List.of(), new GatewayConfig.Admin("127.0.0.1:0"));
    }

    private static Curl.Result register(Gateway g, String agent, String origin, String skill) throws Exception {
        return Curl.run("-i", "-H", "Content-Type: application/json", "--data-binary", "{\"agent\":\"" + agent
                + "\",\"origin\":\"" + origin + "\",\"skills\":[{\"name\":\"" + skill + "\"}]}",
                "http://127.0.0.1:" + g.adminPort() + "/agents");
    }

    /** Through the node's HTTP listener as a forward proxy: {@code <b>.<a>.acip} is skill {@code a/b}. */
    private static Curl.Result through(Gateway g, String host) throws Exception {
        return Curl.run("-i", "-x", "http://127.0.0.1:" + g.httpPorts()[0], "http://" + host + "/");
    }

    @Test
    void aRestartedNodeStillServesWhatWasRegisteredAndNotWhatWasDetached() throws Exception {
        try (DemoAgents demo = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0))) {
            try (Gateway before = Gateway.start(config())) {
                assertEquals(201, register(before, "kept", demo.uri().toString(), "kept/echo").status());
                assertEquals(201, register(before, "dropped", demo.uri().toString(), "dropped/echo").status());
                assertEquals(204, Curl.run("-i", "-X", "DELETE", "http://127.0.0.1:" + before.adminPort()
                        + "/agents/dropped").status());
                assertEquals(200, through(before, "echo.kept.acip").status());
            }
            Files.writeString(dir.resolve("data/registry/0000.json"), "{not json");
            try (Gateway after = Gateway.start(config())) {
                assertEquals(List.of("kept"), after.agents().agents().stream().map(a -> a.agent()).toList());
                Curl.Result r = through(after, "echo.kept.acip");
                assertEquals(200, r.status(), r.out() + r.err());
                assertTrue(r.body().contains("\"method\":\"GET\""), r.body());
                Curl.Result gone = through(after, "echo.dropped.acip");
                assertEquals(502, gone.status(), gone.out());
                // Registered before the restart, so the same rules hold: another agent cannot take the skill.
                assertEquals(409, register(after, "thief", demo.uri().toString(), "kept/echo").status());
                Curl.Result health = Curl.run("http://127.0.0.1:" + after.adminPort() + "/healthz");
                assertTrue(health.out().contains("\"registry\":{\"backend\":\"file\",\"stale\":false"), health.out());
            }
        }
    }
}
