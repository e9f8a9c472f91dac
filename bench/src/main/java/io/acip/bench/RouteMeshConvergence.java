package io.acip.bench;

import io.acip.control.RouteAttributes;
import io.acip.control.RouteView;
import io.acip.node.Node;
import io.acip.node.NodeConfig;
import io.acip.tls.FabricCa;
import io.acip.wire.SkillName;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Route exchange on a random connected topology in one JVM (docs/acip-v0.md §12): N nodes, a random spanning tree
 * plus extra random links, every node originating R skill routes at once. Measures the time until every node holds
 * a route to every other node's skills, the time of the last UPDATE (sampled every 5 ms until 200 ms pass without
 * one: shorter paths may still arrive after a first one), and the UPDATE packets and announcements it took; then
 * checks the result is
 * loop-free and shortest (each best path names neither the node itself nor any node twice, and is as long as the
 * topology's shortest path); then node 0 withdraws its routes and the time and messages until every node forgot them
 * are measured. Seeded, so a run can be repeated.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.acip.bench.RouteMeshConvergence [--nodes 20] [--extra 10]
 *     [--routes 50] [--seed 1] [--runs 3]</pre>
 */
public final class RouteMeshConvergence {
    private static final Duration VALIDITY = Duration.ofDays(1);
    /** Four update intervals (§12.4) without an UPDATE anywhere: the fabric is still. */
    private static final Duration QUIET = Duration.ofMillis(200);
    private static final Duration SAMPLE = Duration.ofMillis(5);
    private static final RouteAttributes ATTACHED = new RouteAttributes(RouteAttributes.ORIGIN_ATTACHED, "", Map.of(),
            -1, -1);

    public static void main(String[] args) throws Exception {
        int nodes = 20;
        int extra = 10;
        int routes = 50;
        long seed = 1;
        int runs = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[i + 1]);
                case "--extra" -> extra = Integer.parseInt(args[i + 1]);
                case "--routes" -> routes = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        FabricCa ca = FabricCa.generate("bench fabric");
        for (int r = 0; r <= runs; r++) { // run 0 warms the JIT and is not counted
            String result = once(ca, Topology.random(nodes, extra, new Random(seed + r)), routes);
            if (r > 0) System.out.println("run " + r + ": " + result);
        }
    }

    /** Nodes 0..n-1; {@code dials.get(i)} are the lower-numbered nodes node i dials. */
    record Topology(List<List<Integer>> dials) {
        static Topology random(int n, int extra, Random random) {
            List<List<Integer>> dials = new ArrayList<>();
            Set<Long> links = new HashSet<>();
            for (int i = 0; i < n; i++) {
                dials.add(new ArrayList<>());
                if (i > 0) link(dials, links, i, random.nextInt(i)); // a spanning tree: connected
            }
            for (int added = 0, tries = 0; added < extra && tries < 100 * (extra + 1); tries++) {
                int a = random.nextInt(n);
                int b = random.nextInt(n);
                if (a != b && link(dials, links, Math.max(a, b), Math.min(a, b))) added++;
            }
            return new Topology(dials);
        }

        private static boolean link(List<List<Integer>> dials, Set<Long> links, int from, int to) {
            if (!links.add((long) from << 32 | to)) return false;
            dials.get(from).add(to);
            return true;
        }

        int size() {
            return dials.size();
        }

        int links() {
            return dials.stream().mapToInt(List::size).sum();
        }

        List<Set<Integer>> adjacency() {
            List<Set<Integer>> adj = new ArrayList<>();
            for (int i = 0; i < size(); i++) adj.add(new TreeSet<>());
            for (int i = 0; i < size(); i++) {
                for (int j : dials.get(i)) {
                    adj.get(i).add(j);
                    adj.get(j).add(i);
                }
            }
            return adj;
        }

        /** Hops from {@code from} to every node (breadth first). */
        int[] distances(int from) {
            List<Set<Integer>> adj = adjacency();
            int[] d = new int[size()];
            java.util.Arrays.fill(d, -1);
            d[from] = 0;
            ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(from));
            while (!queue.isEmpty()) {
                int x = queue.poll();
                for (int y : adj.get(x)) {
                    if (d[y] < 0) {
                        d[y] = d[x] + 1;
                        queue.add(y);
                    }
                }
            }
            return d;
        }
    }

    private static String id(int i) {
        return String.format(Locale.ROOT, "n%02d", i);
    }

    private static SkillName skill(int origin, int k) {
        return new SkillName("mesh/" + id(origin) + "/skill" + k);
    }

    private static String once(FabricCa ca, Topology topo, int routes) throws Exception {
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < topo.size(); i++) {
                List<NodeConfig.Neighbour> dial = new ArrayList<>();
                for (int j : topo.dials().get(i)) {
                    dial.add(new NodeConfig.Neighbour(id(j), nodes.get(j).linkAddress()));
                }
                nodes.add(Node.start(NodeConfig.defaults(id(i), new InetSocketAddress("127.0.0.1", 0),
                        ca.issueNode(id(i), VALIDITY), ca.certificate(), dial)));
            }
            List<Set<Integer>> adj = topo.adjacency();
            for (int i = 0; i < topo.size(); i++) awaitChannels(nodes.get(i), adj.get(i).size());

            long t0 = System.nanoTime();
            for (int i = 0; i < topo.size(); i++) {
                for (int k = 0; k < routes; k++) nodes.get(i).control().originate(0, skill(i, k), "i", ATTACHED);
            }
            awaitAll(nodes, i -> true, routes, true);
            long usableMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            long stableMs = TimeUnit.NANOSECONDS.toMillis(quiet(nodes) - t0);
            long updates = sum(nodes, "acip.control.update.received");
            long announcements = sum(nodes, "acip.control.announcement.received");
            checkLoopFreeAndShortest(nodes, topo);

            t0 = System.nanoTime();
            for (int k = 0; k < routes; k++) nodes.get(0).control().withdraw(0, skill(0, k), "i");
            awaitAll(nodes, i -> i == 0, routes, false);
            long withdrawMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            long withdrawStableMs = TimeUnit.NANOSECONDS.toMillis(quiet(nodes) - t0);
            return String.format(Locale.ROOT, "%d nodes, %d links, %d prefixes: every node held every route after %d ms, "
                    + "last UPDATE at %d ms: %d UPDATEs carrying %d announcements (%.2f per prefix per link direction), "
                    + "loop-free and shortest; node n00's %d withdrawn everywhere in %d ms (last UPDATE at %d ms) with "
                    + "%d more UPDATEs", topo.size(), topo.links(), topo.size() * routes, usableMs, stableMs, updates,
                    announcements, announcements / (double) (topo.size() * routes) / (2.0 * topo.links()), routes,
                    withdrawMs, withdrawStableMs, sum(nodes, "acip.control.update.received") - updates);
        } finally {
            for (Node n : nodes) n.close();
        }
    }

    /**
     * Waits until every node holds (or, with {@code present} false, has forgotten) the routes of the origins
     * {@code which} selects, other than its own. Checks each origin's last prefix first, which is cheap, and every
     * prefix only once those are in.
     */
    private static void awaitAll(List<Node> nodes, java.util.function.IntPredicate which, int routes, boolean present)
            throws Exception {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            List<Integer> origins = new ArrayList<>();
            for (int o = 0; o < nodes.size(); o++) if (o != n && which.test(o)) origins.add(o);
            waits.add(nodes.get(n).control().awaitRoutes(t -> {
                for (int o : origins) if (t.lookup(0, skill(o, routes - 1)).isPresent() != present) return false;
                for (int o : origins) {
                    for (int k = 0; k < routes; k++) if (t.lookup(0, skill(o, k)).isPresent() != present) return false;
                }
                return true;
            }));
        }
        CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    }

    private static void checkLoopFreeAndShortest(List<Node> nodes, Topology topo) throws Exception {
        for (int n = 0; n < nodes.size(); n++) {
            String self = id(n);
            int[] dist = topo.distances(n);
            for (RouteView v : nodes.get(n).control().routes().get(30, TimeUnit.SECONDS)) {
                if (!v.source().equals("learned")) continue;
                if (v.path().contains(self) || new HashSet<>(v.path()).size() != v.path().size()) {
                    throw new IllegalStateException(self + " holds a looping path " + v.path() + " for " + v.prefix());
                }
                int origin = Integer.parseInt(v.prefix().split("/")[1].substring(1));
                if (v.best() && v.path().size() != dist[origin]) {
                    throw new IllegalStateException(self + "'s best path " + v.path() + " to " + id(origin) + " is not "
                            + "shortest (" + dist[origin] + " hops)");
                }
            }
        }
    }

    /**
     * When the fabric went quiet: the time (System.nanoTime) of the last change of the UPDATE count, once it has not
     * changed for {@link #QUIET}. Every node holding a route is not yet the end: a shorter path may still be on its way.
     */
    private static long quiet(List<Node> nodes) throws InterruptedException {
        long count = sum(nodes, "acip.control.update.received");
        long changedAt = System.nanoTime();
        while (System.nanoTime() - changedAt < QUIET.toNanos()) {
            Thread.sleep(SAMPLE.toMillis()); // sampling a counter: the quiet period is what is measured
            long now = sum(nodes, "acip.control.update.received");
            if (now != count) {
                count = now;
                changedAt = System.nanoTime();
            }
        }
        return changedAt;
    }

    private static long sum(List<Node> nodes, String counter) {
        return nodes.stream().mapToLong(n -> n.stats().get(counter)).sum();
    }

    private static void awaitChannels(Node n, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (n.control().neighbours().get(5, TimeUnit.SECONDS).size() < count) {
            if (System.nanoTime() > deadline) throw new IllegalStateException(n.nodeId() + ": control channels not up");
            Thread.sleep(5); // set-up only, outside the measured time
        }
    }
}
