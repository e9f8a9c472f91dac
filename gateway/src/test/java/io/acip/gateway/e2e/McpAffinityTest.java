package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.AgentSkill;
import io.acip.wire.SkillName;
import java.util.Map;
import java.util.Optional;
import io.acip.gateway.demo.DemoAgents;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MCP sessions over a skill served by two instances (two agents behind the far gateway): every request of a session
 * (POST, DELETE) reaches the instance that opened it, while sessions spread over both.
 */
class McpAffinityTest {
    @TempDir
    static Path dir;
    static DemoAgents second;
    static Fabric3 fabric;

    @BeforeAll
    static void start() throws Exception {
        second = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0));
        fabric = new Fabric3(dir, List.of(), false);
        // A second instance of demo/mcp beside the first, on the same far gateway.
        fabric.far.agents().attach(new AgentRegistration("demo-2", second.uri(), Optional.empty(), List.of(
                new AgentSkill(new SkillName("demo/mcp"), "", Optional.empty(), Map.of(), "/mcp"))), false);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fabric != null) fabric.close();
        if (second != null) second.close();
    }

    private static Curl.Result post(String session, String body) throws Exception {
        String url = "http://127.0.0.1:" + fabric.http() + "/skills/demo/mcp";
        return session == null
                ? Curl.run("-si", "-H", "content-type: application/json", "-H",
                        "accept: application/json, text/event-stream", "--data", body, url)
                : Curl.run("-si", "-H", "content-type: application/json", "-H",
                        "accept: application/json, text/event-stream", "-H", "mcp-session-id: " + session,
                        "--data", body, url);
    }

    @Test
    void everyRequestOfASessionReachesItsInstance() throws Exception {
        int sessions = 16;
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            Curl.Result init = post(null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                    + "\"protocolVersion\":\"2025-03-26\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\","
                    + "\"version\":\"1\"}}}");
            assertEquals(200, init.status(), init.out());
            String id = init.header("mcp-session-id");
            assertTrue(id.startsWith("acip."), id);
            ids.add(id);
            for (int j = 0; j < 3; j++) {
                Curl.Result call = post(id, "{\"jsonrpc\":\"2.0\",\"id\":" + (j + 2) + ",\"method\":\"tools/call\","
                        + "\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\"s" + i + "\"}}}");
                assertEquals(200, call.status(), "session " + i + " call " + j + ": " + call.out());
                assertTrue(call.body().contains("s" + i), call.body());
            }
        }
        int a = fabric.agents.mcpSessions();
        int b = second.mcpSessions();
        assertEquals(sessions, a + b);
        assertTrue(a > 0 && b > 0, "sessions spread over both instances: " + a + " and " + b);
        for (String id : ids) { // the instance that does not hold a session would answer 404
            Curl.Result end = Curl.run("-si", "-X", "DELETE", "-H", "mcp-session-id: " + id, "http://127.0.0.1:"
                    + fabric.http() + "/skills/demo/mcp");
            assertEquals(204, end.status(), end.out());
        }
        assertEquals(0, fabric.agents.mcpSessions() + second.mcpSessions());
    }
}
