package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.acip.gateway.Gateway;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.demo.DemoAgents;
import io.acip.wire.SkillName;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two edge replicas sharing registrations through a real etcd (issue 15), and a far node that dials both: what one
 * replica registers the other serves within a second; a skill two agents claim at once goes to one of them (the
 * other gets 409); a lease nobody renews removes the agent from every node; with etcd gone both keep serving and
 * refuse changes with 503, and once it is back they converge.
 */
class EtcdReplicasTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEASE = "3s";

    @TempDir
    static Path dir;
    static EtcdServer etcd;
    static DemoAgents demo;
    /** An origin without an A2A card: only PUT /agents/<name>/lease keeps its registration. */
    static HttpServer cardless;
    static Gateway a;
    static Gateway b;
    static Gateway far;

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdServer.start(dir);
        demo = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0));
        cardless = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cardless.createContext("/", ex -> {
            boolean card = ex.getRequestURI().getPath().contains("/.well-known/");
            byte[] body = (card ? "no card here\n" : "cardless\n").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(card ? 404 : 200, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        cardless.start();
        String ca = dir.resolve("ca").toString();
        a = Gateway.start(replica("edge-a", ca));
        b = Gateway.start(replica("edge-b", ca));
        far = Gateway.start(new GatewayConfig(Fabric3.node("far", null, ca, List.of(
                new GatewayConfig.Neighbour("edge-a", "127.0.0.1:" + a.node().linkAddress().getPort()),
                new GatewayConfig.Neighbour("edge-b", "127.0.0.1:" + b.node().linkAddress().getPort())), List.of()),
                http("far"), null, List.of(), null));
    }

    private static GatewayConfig replica(String id, String ca) {
        return new GatewayConfig(Fabric3.node(id, "127.0.0.1:0", ca, List.of(), List.of()), http(id), null, List.of(),
                new GatewayConfig.Admin("127.0.0.1:0")).withRegistry(new GatewayConfig.Registry(LEASE, null,
                new GatewayConfig.Etcd(List.of(etcd.endpoint()), "/acip/test/", null, null, null, "2s")));
    }

    private static GatewayConfig.Http http(String name) {
        return new GatewayConfig.Http(name, "127.0.0.1:0", null, null, null, null, null, List.of(), List.of(),
                List.of(), "5s");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {far, b, a, demo, etcd}) if (c != null) c.close();
        if (cardless != null) cardless.stop(0);
    }

    private static Curl.Result register(Gateway g, String agent, String origin, String skill) throws Exception {
        return Curl.run("-i", "-H", "Content-Type: application/json", "--data-binary", "{\"agent\":\"" + agent
                + "\",\"origin\":\"" + origin + "\",\"skills\":[{\"name\":\"" + skill + "\"}]}", admin(g, "/agents"));
    }

    private static String admin(Gateway g, String path) {
        return "http://127.0.0.1:" + g.adminPort() + path;
    }

    /** A request through {@code g}'s HTTP listener as a forward proxy to skill {@code a/b} ({@code b.a.acip}). */
    private static Curl.Result through(Gateway g, String skill) throws Exception {
        String[] s = skill.split("/");
        return Curl.run("-i", "-x", "http://127.0.0.1:" + g.httpPorts()[0], "http://" + s[1] + "." + s[0] + ".acip/");
    }

    private static void await(Gateway g, String skill, boolean present, Duration within) throws Exception {
        SkillName name = new SkillName(skill);
        g.node().control().awaitRoutes(t -> t.lookup(0, name).isPresent() == present)
                .get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for a state no event announces (the registry's health), checking every 20 ms up to {@code within}. */
    private static void until(String what, BooleanSupplier condition, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + " not within " + within);
            new CountDownLatch(1).await(20, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aRegistrationAtOneReplicaIsServedByTheOtherWithinASecondAndReachesTheFarNode() throws Exception {
        long t0 = System.nanoTime();
        Curl.Result r = register(a, "shared", demo.uri().toString(), "shared/echo");
        assertEquals(201, r.status(), r.out());
        await(b, "shared/echo", true, Duration.ofSeconds(1));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        Curl.Result atB = through(b, "shared/echo");
        assertEquals(200, atB.status(), atB.out() + atB.err());
        assertTrue(atB.body().contains("acip/0 edge-b"), atB.body()); // delivered by edge-b itself
        assertTrue(ms < 1000, "at edge-b after " + ms + " ms");
        await(far, "shared/echo", true, Duration.ofSeconds(5));
        assertEquals(200, through(far, "shared/echo").status());
        JsonNode listed = JSON.readTree(Curl.run(admin(b, "/routes")).out());
        assertTrue(listed.toString().contains("shared/echo"), listed.toString());
    }

    @Test
    void twoAgentsClaimingOneSkillAtTwoReplicasAtOnceOneWinsTheOtherGets409() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Curl.Result> atA = CompletableFuture.supplyAsync(() -> claim(go, a, "claimant-a"));
        CompletableFuture<Curl.Result> atB = CompletableFuture.supplyAsync(() -> claim(go, b, "claimant-b"));
        go.countDown();
        List<Curl.Result> both = List.of(atA.get(30, TimeUnit.SECONDS), atB.get(30, TimeUnit.SECONDS));
        List<Integer> statuses = both.stream().map(Curl.Result::status).sorted().toList();
        assertEquals(List.of(201, 409), statuses, both.toString());
        Curl.Result lost = both.stream().filter(x -> x.status() == 409).findFirst().orElseThrow();
        JsonNode problem = JSON.readTree(lost.body());
        assertTrue(problem.get("holder").asText().startsWith("agent claimant-"), lost.body());
        String winner = both.get(0).status() == 201 ? "claimant-a" : "claimant-b";
        await(a, "contested/skill", true, Duration.ofSeconds(1));
        await(b, "contested/skill", true, Duration.ofSeconds(1));
        for (Gateway g : List.of(a, b)) {
            assertEquals(List.of(winner), g.agents().agents().stream().map(x -> x.agent())
                    .filter(n -> n.startsWith("claimant-")).toList(), g.node().nodeId());
        }
    }

    private static Curl.Result claim(CountDownLatch go, Gateway g, String agent) {
        try {
            go.await();
            return register(g, agent, demo.uri().toString(), "contested/skill");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLeaseNobodyRenewsRemovesTheAgentEverywhereAndACardThatAnswersKeepsItsOwn() throws Exception {
        String cardlessOrigin = "http://127.0.0.1:" + cardless.getAddress().getPort();
        assertEquals(201, register(a, "carded", demo.uri().toString(), "carded/echo").status());
        await(b, "carded/echo", true, Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        assertEquals(201, register(a, "brief", cardlessOrigin, "brief/skill").status());
        await(b, "brief/skill", true, Duration.ofSeconds(1));
        await(far, "brief/skill", true, Duration.ofSeconds(5));
        Curl.Result renewed = Curl.run("-i", "-X", "PUT", admin(b, "/agents/brief/lease"));
        assertEquals(200, renewed.status(), renewed.out());
        assertEquals(3, JSON.readTree(renewed.body()).get("lease_seconds").asInt());
        for (Gateway g : List.of(a, b, far)) await(g, "brief/skill", false, Duration.ofSeconds(15));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.SECONDS.toNanos(3), "not before the lease ran out");
        assertEquals(502, through(b, "brief/skill").status());
        Curl.Result gone = Curl.run("-i", "-X", "PUT", admin(a, "/agents/brief/lease"));
        assertEquals(404, gone.status(), gone.out());
        // Registered first on a lease as long, carded outlived brief's lease only because its card answers.
        Curl.Result kept = Curl.run("-i", "-X", "PUT", admin(a, "/agents/carded/lease"));
        assertEquals(200, kept.status(), kept.out());
        assertEquals(200, through(b, "carded/echo").status());
    }

    @Test
    void withEtcdGoneBothKeepServingAndRefuseChangesAndOnceBackTheyConverge() throws Exception {
        assertEquals(201, register(a, "steady", demo.uri().toString(), "steady/echo").status());
        await(b, "steady/echo", true, Duration.ofSeconds(1));
        etcd.stop();
        try {
            for (Gateway g : List.of(a, b)) {
                until(g.node().nodeId() + " stale", () -> g.registry().status().stale(), Duration.ofSeconds(10));
                Curl.Result served = through(g, "steady/echo");
                assertEquals(200, served.status(), served.out());
                JsonNode health = JSON.readTree(Curl.run(admin(g, "/healthz")).out());
                assertTrue(health.get("registry").get("stale").asBoolean(), health.toString());
                assertTrue(health.get("registry").has("stale_since"), health.toString());
            }
            long t0 = System.nanoTime();
            Curl.Result refused = register(b, "late", demo.uri().toString(), "late/echo");
            assertEquals(503, refused.status(), refused.out());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 5000, "refused promptly");
            JsonNode problem = JSON.readTree(refused.body());
            assertTrue(problem.get("type").asText().endsWith("/registry-unavailable"), refused.body());
            assertTrue(problem.get("detail").asText().contains("cannot be reached"), refused.body());
            assertEquals(List.of(), b.agents().agents().stream().map(x -> x.agent()).filter("late"::equals).toList());
            assertEquals(503, Curl.run("-i", "-X", "DELETE", admin(a, "/agents/steady")).status());
        } finally {
            etcd.start();
        }
        // Written as soon as etcd answers: edge-b, still backing off, catches up from the revision it had.
        until("edge-a writing again", () -> {
            try {
                return register(a, "after", demo.uri().toString(), "after/echo").status() == 201;
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(15));
        await(b, "after/echo", true, Duration.ofSeconds(15));
        for (Gateway g : List.of(a, b)) {
            until(g.node().nodeId() + " fresh", () -> !g.registry().status().stale(), Duration.ofSeconds(15));
            assertEquals(200, through(g, "steady/echo").status());
            assertEquals(200, through(g, "after/echo").status());
        }
        // Each follows the same revisions; edge-a may see its own write's event a moment after edge-b does.
        until("one revision at both", () -> a.registry().status().revision() == b.registry().status().revision(),
                Duration.ofSeconds(5));
        assertEquals(204, Curl.run("-i", "-X", "DELETE", admin(b, "/agents/after")).status());
        for (Gateway g : List.of(a, b)) await(g, "after/echo", false, Duration.ofSeconds(1));
    }
}
