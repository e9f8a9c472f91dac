package io.acip.gateway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acip.gateway.attach.AgentCard;
import io.acip.gateway.attach.AgentRegistration;
import io.acip.wire.SkillName;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoAgentsTest {
    @Test
    void servesAnAgentCardTheAttachmentParserAccepts() throws Exception {
        try (DemoAgents agents = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0))) {
            DemoClient client = new DemoClient(agents.uri());
            HttpResponse<String> r = client.send(client.request("/.well-known/agent-card.json").GET().build());

            assertEquals(200, r.statusCode());
            AgentRegistration reg = AgentCard.parse(r.body().getBytes(StandardCharsets.UTF_8),
                    new SkillName("demo"));
            assertEquals(agents.uri().resolve("/a2a"), reg.origin());
            assertEquals(List.of("demo/echo", "demo/stream"), reg.skills().stream().map(s -> s.name().value())
                    .toList());
        }
    }
}
