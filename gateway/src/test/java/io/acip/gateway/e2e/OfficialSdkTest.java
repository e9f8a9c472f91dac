package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.AgentSkill;
import io.acip.gateway.demo.DemoAgents;
import io.acip.wire.SkillName;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official SDKs, pinned and installed from the npm registry, through edge, transit and far: the A2A JavaScript
 * SDK discovers the demo agent by every form (path, host, forward proxy tunnelled and absolute, intercepted TLS)
 * through undici, then sends, streams, gets and cancels; the MCP TypeScript SDK opens sessions over a skill served by
 * two instances (initialize, tools/list, tools/call, termination), each staying on its own instance. The README's agent
 * runtime examples (Python httpx, Node undici) run unchanged but for their GATEWAY and CA.
 */
class OfficialSdkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static DemoAgents second;
    static Fabric3 fabric;

    @BeforeAll
    static void start() throws Exception {
        NodeSdks.install();
        second = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0));
        fabric = new Fabric3(dir, List.of(), false);
        fabric.far.agents().attach(new AgentRegistration("demo-2", second.uri(), Optional.empty(), List.of(
                new AgentSkill(new SkillName("demo/mcp"), "", Optional.empty(), Map.of(), "/mcp"))), false);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fabric != null) fabric.close();
        if (second != null) second.close();
    }

    private static String args(Map<String, Object> extra) throws Exception {
        Map<String, Object> a = new java.util.HashMap<>(Map.of("gateway", "http://127.0.0.1:" + fabric.http(),
                "proxy", fabric.proxy(), "ca", fabric.caPem.toAbsolutePath().toString()));
        a.putAll(extra);
        return JSON.writeValueAsString(a);
    }

    @Test
    void a2aSdkDiscoversSendsStreamsAndGetsByEveryForm() throws Exception {
        NodeSdks.Run r = NodeSdks.node("a2a-client.mjs", args(Map.of()), 60);
        assertEquals(0, r.exit(), r.explain());
        var seen = JSON.readTree(r.out()).get("seen");
        for (String form : List.of("path", "host", "proxy-tunnel", "proxy-absolute", "intercepted")) {
            for (String what : List.of(".well-known/agent-card.json", ".well-known/agent.json", "stream")) {
                assertTrue(seen.has(form + " " + what), form + " " + what + " missing: " + r.explain());
            }
        }
        assertEquals("http://127.0.0.1:" + fabric.http() + "/skills/demo/a2a",
                seen.get("path .well-known/agent-card.json").asText());
        assertEquals("https://a2a.demo.acip", seen.get("intercepted .well-known/agent.json").asText());
    }

    @Test
    void agentRuntimeExamplesReachHttpAndHttpsSkills() throws Exception {
        Map<String, String> env = Map.of("GATEWAY", fabric.proxy(), "CA", fabric.caPem.toAbsolutePath().toString());
        NodeSdks.Run py = NodeSdks.exec(List.of("/usr/bin/python3",
                Path.of("../examples/agents/python_httpx.py").toAbsolutePath().toString()), env, 30);
        assertEquals(0, py.exit(), py.explain());
        assertTrue(py.out().contains("/from-httpx'") && py.out().contains("/from-httpx-plain'"), py.explain());
        assertEquals(3, py.out().lines().filter(l -> l.startsWith("data: ")).count(), py.explain());
        java.nio.file.Files.copy(Path.of("../examples/agents/node_undici.mjs"), NodeSdks.install()
                .resolve("node_undici.mjs"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        NodeSdks.Run node = NodeSdks.exec(List.of("node", "node_undici.mjs"), env, 30);
        assertEquals(0, node.exit(), node.explain());
        assertEquals(2, node.out().lines().filter(l -> l.startsWith("edge,transit,far ")).count(), node.explain());
    }

    @Test
    void mcpSdkSessionsStayOnTheirInstance() throws Exception {
        int before = fabric.agents.mcpSessionsOpened() + second.mcpSessionsOpened();
        int firstBefore = fabric.agents.mcpSessionsOpened();
        int secondBefore = second.mcpSessionsOpened();
        NodeSdks.Run r = NodeSdks.node("mcp-client.mjs", args(Map.of("sessions", 10)), 60);
        assertEquals(0, r.exit(), r.explain());
        int a = fabric.agents.mcpSessionsOpened() - firstBefore;
        int b = second.mcpSessionsOpened() - secondBefore;
        assertEquals(10, a + b, "sessions opened");
        assertTrue(a > 0 && b > 0, "sessions spread over both instances: " + a + " and " + b + " (from " + before + ")");
        assertEquals(0, fabric.agents.mcpSessions() + second.mcpSessions(), "every session was ended where it lived");
    }
}
