package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An edge that cannot intercept refuses a CONNECT to a skill without byte tunnels: 403, never a raw tunnel. */
class ConnectWithoutInterceptionTest {
    @TempDir
    static Path dir;
    static Fabric3 fabric;

    @BeforeAll
    static void start() throws Exception {
        fabric = new Fabric3(dir, List.of(new GatewayConfig.Agent("plain-http", "http://127.0.0.1:9", false, false,
                List.of(new GatewayConfig.AgentSkill("test/notunnel", "", "", Map.of())))), false, List.of(), null);
    }

    @AfterAll
    static void stop() throws Exception {
        fabric.close();
    }

    @Test
    void aSkillWithoutByteTunnelsIs403() throws Exception {
        String head = fabric.connectHead("notunnel.test.acip:80");
        assertTrue(head.startsWith("HTTP/1.1 403 ") && head.contains("error=http_request_denied"), head);
        // A skill that declares them is carried as before.
        assertTrue(fabric.connectHead("echo.plain.acip:80").startsWith("HTTP/1.1 200 "));
    }
}
