package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.gateway.bridge.BridgeConfig;
import io.acip.gateway.bridge.EdgeExchange;
import io.acip.gateway.bridge.SessionPool;
import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.AgentSkill;
import io.acip.gateway.policy.AllowList;
import io.acip.gateway.policy.Principal;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.Exchange;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.Tunnel;
import io.acip.ingress.TunnelDecision;
import io.acip.ingress.jetty.IngressConfig;
import io.acip.ingress.jetty.IngressServer;
import io.acip.wire.SkillName;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity across the fabric (docs/security.md): curl → an edge listener whose test stage authenticates by a test
 * header → edge, transit and far gateways → the demo echo agent, which shows the fields its request arrived with.
 * The far gateway checks {@code agents[].skills[].allow} against the attested identity.
 */
class AttestedIdentityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static Fabric3 fabric;
    static IngressServer front;

    @BeforeAll
    static void start() throws Exception {
        fabric = new Fabric3(dir, List.of(), false);
        // As a registration document would attach it: the demo echo agent again, as a skill only some may call.
        fabric.far.agents().attach(new AgentRegistration("guarded", fabric.agents.uri(), Optional.empty(),
                List.of(new AgentSkill(new SkillName("test/guarded"), "", Optional.empty(), Map.of(), "",
                        Optional.empty(), Optional.of(AllowList.parse(List.of("group:ci", "identity:apikey:auditor")))))),
                false);
        BridgeConfig bridge = new BridgeConfig("acip-edge", Duration.ofSeconds(5), 256 * 1024,
                io.acip.capsule.bhttp.BinaryHttpLimits.DEFAULT);
        front = new IngressServer(IngressConfig.builder("acip-edge").cleartext(new InetSocketAddress("127.0.0.1", 0))
                .build(), new TestAuthentication(bridge, new SessionPool(fabric.edge.node(), bridge.pool())));
        front.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (front != null) front.close();
        fabric.close();
    }

    /**
     * Stands in for the edge's authentication stage: {@code x-test-identity} and {@code x-test-groups} name the
     * principal; without them the agent is anonymous. The request goes to the skill named in {@code x-test-skill}.
     */
    private record TestAuthentication(BridgeConfig bridge, SessionPool pool) implements IngressHandler {
        @Override
        public void onExchange(Exchange exchange) {
            var h = exchange.request().headers();
            Principal p = h.first("x-test-identity").map(id -> new Principal(id,
                    h.first("x-test-groups").map(g -> Arrays.asList(g.split(","))).orElse(List.of()),
                    Principal.Method.API_KEY)).orElse(Principal.ANONYMOUS);
            SkillName skill = new SkillName(h.first("x-test-skill").orElse("demo/echo"));
            EdgeExchange.start(pool, exchange, skill, exchange.request().path(), bridge, List.of(), p);
        }

        @Override
        public TunnelDecision onConnect(ConnectRequest request) {
            return new TunnelDecision.Refuse(new HttpFailure(405, ProxyErrorType.HTTP_REQUEST_ERROR, "no tunnels"));
        }

        @Override
        public void onTunnel(Tunnel tunnel) {
            tunnel.abort(new IllegalStateException("no tunnels"));
        }
    }

    private static Curl.Result get(String... headers) throws Exception {
        String[] args = new String[headers.length * 2 + 2];
        args[0] = "-i";
        for (int i = 0; i < headers.length; i++) {
            args[1 + 2 * i] = "-H";
            args[2 + 2 * i] = headers[i];
        }
        args[args.length - 1] = "http://127.0.0.1:" + front.cleartextPort() + "/who";
        return Curl.run(args);
    }

    private static JsonNode originSaw(Curl.Result r) throws Exception {
        assertEquals(200, r.status(), r.out() + r.err());
        return JSON.readTree(r.body()).get("headers");
    }

    @Test
    void theOriginLearnsTheAttestedIdentityAndNothingTheAgentClaimed() throws Exception {
        JsonNode h = originSaw(get("x-test-identity: apikey:ci-bot", "x-test-groups: ci,ops",
                "acip-initiator: apikey:root", "ACIP-Attested-By: nobody", "x-test-skill: test/guarded"));
        assertEquals("apikey:ci-bot", h.get("acip-initiator").asText(), h.toString());
        assertEquals("ci,ops", h.get("acip-initiator-groups").asText());
        assertEquals("edge", h.get("acip-attested-by").asText());
    }

    @Test
    void anAnonymousAgentGetsNoIdentityFieldsWhateverItSends() throws Exception {
        JsonNode h = originSaw(get("acip-initiator: apikey:ci-bot", "acip-initiator-groups: ci",
                "acip-attested-by: edge"));
        assertNull(h.get("acip-initiator"), h.toString());
        assertNull(h.get("acip-initiator-groups"));
        assertNull(h.get("acip-attested-by"));
    }

    @Test
    void theSkillsOwnGatewayRefusesWhoItsAllowListDoesNot() throws Exception {
        Curl.Result anonymous = get("x-test-skill: test/guarded");
        assertEquals(403, anonymous.status(), anonymous.out());
        assertTrue(anonymous.header("proxy-status").contains("error=http_request_denied"), anonymous.out());
        assertTrue(anonymous.body().contains("test/guarded") && anonymous.body().contains("an unattested initiator"),
                anonymous.body());

        Curl.Result wrongGroup = get("x-test-identity: apikey:intern", "x-test-groups: interns",
                "x-test-skill: test/guarded");
        assertEquals(403, wrongGroup.status(), wrongGroup.out());
        assertTrue(wrongGroup.body().contains("apikey:intern"), wrongGroup.body());

        assertEquals(200, get("x-test-identity: apikey:auditor", "x-test-skill: test/guarded").status());
    }

    /**
     * Exchanges ride pooled sessions (docs/acip-v0.md §13), which the far gateway authorized once: an allow list
     * replaced at run time retires them, so the next exchange of a caller it no longer names is refused.
     */
    @Test
    void aNarrowedAllowListReachesCallersWhoseSessionsArePooled() throws Exception {
        fabric.far.agents().attach(guarded("revocable", "test/revocable", "group:ci", "identity:apikey:auditor"), false);
        String[] auditor = {"x-test-identity: apikey:auditor", "x-test-skill: test/revocable"};
        assertEquals(200, get(auditor).status());
        assertEquals(200, get(auditor).status(), "again, on the pooled session");
        fabric.far.agents().attach(guarded("revocable", "test/revocable", "group:ci"), false);
        Curl.Result refused = get(auditor);
        assertEquals(403, refused.status(), refused.out());
        assertTrue(refused.body().contains("apikey:auditor"), refused.body());
        assertEquals(200, get("x-test-identity: apikey:ci-bot", "x-test-groups: ci", "x-test-skill: test/revocable")
                .status());
    }

    private static AgentRegistration guarded(String agent, String skill, String... allow) {
        return new AgentRegistration(agent, fabric.agents.uri(), Optional.empty(), List.of(new AgentSkill(
                new SkillName(skill), "", Optional.empty(), Map.of(), "", Optional.empty(),
                Optional.of(AllowList.parse(List.of(allow))))));
    }

    @Test
    void aSkillWithoutAllowServesEveryone() throws Exception {
        assertEquals(200, get().status());
        assertEquals(200, get("x-test-identity: https://issuer.example/user-1", "x-test-groups: x").status());
    }
}
