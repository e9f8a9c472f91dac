package io.acip.bench.registry;

import com.sun.net.httpserver.HttpServer;
import io.acip.gateway.Gateway;
import io.acip.gateway.config.GatewayConfig;
import io.acip.wire.SkillName;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Two edge replicas sharing registrations through a real etcd (Debian's etcd-server) on loopback, in one JVM:
 * <ol>
 *   <li>registration to use: a registration posted to replica A's admin API, until a request through replica B's
 *       HTTP listener reaches the agent (p50, p90, max over {@code --registrations});</li>
 *   <li>catch-up: B loses etcd (a relay in front of it is cut) for {@code --outage} seconds while A takes
 *       {@code --bulk} registrations; then the time until B watches again, and until it serves all of them;</li>
 *   <li>restart: with all of them held, etcd itself stops for {@code --outage} seconds; the time from its restart
 *       until both replicas watch again (from the revision they had: nothing is read whole), and until a new
 *       registration at A is served by B.</li>
 * </ol>
 *
 * <pre>java -cp bench/target/benchmarks.jar io.acip.bench.registry.RegistryReplication \
 *     [--registrations 100] [--bulk 10000] [--outage 30]</pre>
 */
public final class RegistryReplication {
    private static final HttpClient ADMIN = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        int registrations = 100;
        int bulk = 10_000;
        int outage = 30;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--registrations" -> registrations = Integer.parseInt(args[i + 1]);
                case "--bulk" -> bulk = Integer.parseInt(args[i + 1]);
                case "--outage" -> outage = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("acip-registry-bench");
        HttpServer origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/", ex -> {
            ex.sendResponseHeaders(200, 3);
            ex.getResponseBody().write("ok\n".getBytes());
            ex.close();
        });
        origin.setExecutor(Executors.newFixedThreadPool(4));
        origin.start();
        String originUri = "http://127.0.0.1:" + origin.getAddress().getPort();
        try (LocalEtcd etcd = new LocalEtcd(dir)) {
            etcd.start();
            CuttableRelay relay = new CuttableRelay(etcd.port());
            String ca = dir.resolve("ca").toString();
            try (Gateway a = Gateway.start(replica("edge-a", ca, etcd.endpoint()));
                 Gateway b = Gateway.start(replica("edge-b", ca, relay.endpoint()))) {
                HttpClient viaB = HttpClient.newBuilder().proxy(ProxySelector.of(
                        new InetSocketAddress("127.0.0.1", b.httpPorts()[0]))).build();
                latency(a, b, viaB, originUri, registrations);
                catchUp(a, b, relay, originUri, bulk, outage);
                restart(a, b, etcd, viaB, originUri, outage);
            }
            relay.close();
        } finally {
            origin.stop(0);
            ((ExecutorService) origin.getExecutor()).shutdownNow();
        }
    }

    private static GatewayConfig replica(String id, String ca, String etcd) {
        return new GatewayConfig(new GatewayConfig.Node(id, null, null, ca, List.of(), List.of(), null, null),
                new GatewayConfig.Http(id, "127.0.0.1:0", null, null, null, null, null, List.of(), List.of(), List.of(),
                        "5s"), null, List.of(), new GatewayConfig.Admin("127.0.0.1:0"))
                .withRegistry(new GatewayConfig.Registry("off", false, new GatewayConfig.Etcd(List.of(etcd),
                        "/acip/bench/", null, null, null, "5s")));
    }

    private static void latency(Gateway a, Gateway b, HttpClient viaB, String origin, int n) throws Exception {
        List<Long> micros = new ArrayList<>();
        for (int i = -20; i < n; i++) { // the first 20 warm the JIT and are not counted
            String skill = "lat/r" + (i + 20);
            long t0 = System.nanoTime();
            register(a, "lat-" + (i + 20), origin, skill);
            SkillName name = new SkillName(skill);
            b.node().control().awaitRoutes(t -> t.lookup(0, name).isPresent()).get(10, TimeUnit.SECONDS);
            HttpResponse<String> r = viaB.send(HttpRequest.newBuilder(URI.create("http://r" + (i + 20) + ".lat.acip/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("through edge-b: " + r.statusCode() + " " + r.body());
            if (i >= 0) micros.add((System.nanoTime() - t0) / 1000);
        }
        Collections.sort(micros);
        System.out.printf(Locale.ROOT, "registration at edge-a to a request served through edge-b, %d registrations: "
                + "p50 %.1f ms, p90 %.1f ms, max %.1f ms%n", n, micros.get(n / 2) / 1000.0,
                micros.get(n * 9 / 10) / 1000.0, micros.get(n - 1) / 1000.0);
    }

    private static void catchUp(Gateway a, Gateway b, CuttableRelay relay, String origin, int bulk, int outage)
            throws Exception {
        int before = b.agents().agents().size();
        relay.cut();
        long cut = System.nanoTime();
        await("edge-b stale", () -> b.registry().status().stale(), Duration.ofSeconds(30));
        long writing = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            done.add(writers.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < bulk; ) register(a, "bulk-" + i, origin, "bulk/r" + i);
                return null;
            }));
        }
        for (Future<?> f : done) f.get();
        writers.shutdown();
        long wroteMs = (System.nanoTime() - writing) / 1_000_000;
        System.out.printf(Locale.ROOT, "edge-a took %d registrations in %d ms (%.0f/s, 8 admin clients) while edge-b "
                + "was cut off from etcd%n", bulk, wroteMs, bulk * 1000.0 / wroteMs);
        long left = TimeUnit.SECONDS.toNanos(outage) - (System.nanoTime() - cut);
        if (left > 0) TimeUnit.NANOSECONDS.sleep(left); // the outage lasts --outage seconds, or the writes' time
        long outageMs = (System.nanoTime() - cut) / 1_000_000;
        long revisionBefore = b.registry().status().revision();
        relay.restore();
        long t0 = System.nanoTime();
        await("edge-b watching", () -> !b.registry().status().stale(), Duration.ofSeconds(60));
        long watchingMs = (System.nanoTime() - t0) / 1_000_000;
        int want = before + bulk;
        await("edge-b serving all", () -> b.agents().agents().size() >= want, Duration.ofSeconds(300));
        long allMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf(Locale.ROOT, "edge-b cut off for %d ms, resumed its watch from revision %d: watching again "
                + "%d ms after the relay returned, all %d registrations applied after %d ms (%.0f/s)%n", outageMs,
                revisionBefore + 1, watchingMs, bulk, allMs, bulk * 1000.0 / Math.max(1, allMs - watchingMs));
    }

    private static void restart(Gateway a, Gateway b, LocalEtcd etcd, HttpClient viaB, String origin, int outage) throws Exception {
        etcd.stop();
        await("both stale", () -> a.registry().status().stale() && b.registry().status().stale(),
                Duration.ofSeconds(30));
        TimeUnit.SECONDS.sleep(outage); // the outage itself
        etcd.start();
        long t0 = System.nanoTime();
        await("both watching", () -> !a.registry().status().stale() && !b.registry().status().stale(),
                Duration.ofSeconds(60));
        long watchingMs = (System.nanoTime() - t0) / 1_000_000;
        long t1 = System.nanoTime();
        register(a, "after-restart", origin, "after/restart");
        b.node().control().awaitRoutes(t -> t.lookup(0, new SkillName("after/restart")).isPresent())
                .get(30, TimeUnit.SECONDS);
        long usedMs = (System.nanoTime() - t1) / 1_000_000;
        HttpResponse<String> r = viaB.send(HttpRequest.newBuilder(URI.create("http://r0.lat.acip/")).build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.printf(Locale.ROOT, "etcd stopped %d s with %d registrations held: both replicas watching again %d "
                + "ms after etcd was healthy, a new registration at edge-a routed at edge-b %d ms later; an old one "
                + "through edge-b: %d%n", outage, b.agents().agents().size() - 1, watchingMs, usedMs, r.statusCode());
    }

    private static void register(Gateway g, String agent, String origin, String skill) throws Exception {
        String doc = "{\"agent\":\"" + agent + "\",\"origin\":\"" + origin + "\",\"skills\":[{\"name\":\"" + skill
                + "\"}]}";
        HttpResponse<String> r = ADMIN.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.adminPort()
                + "/agents")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(doc))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) throw new IllegalStateException("POST /agents " + agent + ": " + r.statusCode() + " " + r.body());
    }

    /** Checks every 10 ms: the registry's health announces no event of its own. */
    private static void await(String what, BooleanSupplier condition, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException(what + ": not within " + within);
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}
