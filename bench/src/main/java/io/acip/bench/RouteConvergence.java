package io.acip.bench;

import io.acip.control.RouteAttributes;
import io.acip.node.Node;
import io.acip.node.NodeConfig;
import io.acip.tls.FabricCa;
import io.acip.wire.SkillName;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Route exchange convergence on loopback (docs/acip-v0.md §12): a three-node line (edge, transit, far) with no
 * static routes; far originates N skill routes at once, and the time until the edge's route table holds every one
 * is measured, then the time until every one is gone after far withdraws them all. Fresh nodes per run; prints each
 * run, then p50 and max, and the UPDATE packets it took. A last run with {@code --cost-routes} (10,000) routes
 * measures what they cost: the process's CPU time from origination until the edge holds them all (far encoding,
 * transit learning and re-announcing, edge learning), and the heap the three nodes hold for them (after GC, against
 * before origination).
 *
 * <pre>java -cp bench/target/benchmarks.jar io.acip.bench.RouteConvergence [--routes 5000] [--runs 5]
 *     [--cost-routes 10000]</pre>
 */
public final class RouteConvergence {
    private static final Duration VALIDITY = Duration.ofDays(1);
    private static final RouteAttributes ATTACHED = new RouteAttributes(RouteAttributes.ORIGIN_ATTACHED, "eu-west",
            Map.of(), -1, -1);

    /** @param cpuMs and {@code heapBytes}: -1 unless measured */
    private record Run(long learnMs, long withdrawMs, long updates, long cpuMs, long heapBytes) {
    }

    public static void main(String[] args) throws Exception {
        int routes = 5000;
        int runs = 5;
        int costRoutes = 10_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--routes" -> routes = Integer.parseInt(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--cost-routes" -> costRoutes = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        FabricCa ca = FabricCa.generate("bench fabric");
        List<SkillName> names = names(routes);
        List<Run> results = new ArrayList<>();
        for (int r = 0; r <= runs; r++) { // run 0 warms the JIT and is not counted
            Run run = once(ca, names, false);
            if (r > 0) {
                results.add(run);
                System.out.printf(Locale.ROOT, "run %d: %d routes learned at the edge in %d ms, withdrawn in %d ms, "
                        + "%d UPDATEs from transit%n", r, routes, run.learnMs(), run.withdrawMs(), run.updates());
            }
        }
        List<Long> learn = new ArrayList<>(results.stream().map(Run::learnMs).toList());
        List<Long> withdraw = new ArrayList<>(results.stream().map(Run::withdrawMs).toList());
        Collections.sort(learn);
        Collections.sort(withdraw);
        System.out.printf(Locale.ROOT, "%d routes over edge-transit-far, %d runs: learned p50 %d ms max %d ms; "
                + "withdrawn p50 %d ms max %d ms%n", routes, runs, learn.get(learn.size() / 2), learn.get(learn.size() - 1),
                withdraw.get(withdraw.size() / 2), withdraw.get(withdraw.size() - 1));
        if (costRoutes > 0) {
            Run cost = once(ca, names(costRoutes), true);
            double per10k = 10_000.0 / costRoutes;
            System.out.printf(Locale.ROOT, "%d routes: %d ms CPU to learn them over the line, %.1f MB of heap held by "
                    + "the three nodes; per 10,000 routes: %.0f ms CPU, %.1f MB heap (%.1f MB per node)%n", costRoutes,
                    cost.cpuMs(), cost.heapBytes() / 1e6, cost.cpuMs() * per10k, cost.heapBytes() * per10k / 1e6,
                    cost.heapBytes() * per10k / 3e6);
        }
    }

    private static List<SkillName> names(int routes) {
        List<SkillName> names = new ArrayList<>(routes);
        for (int i = 0; i < routes; i++) names.add(new SkillName("bench/team" + (i % 50) + "/skill" + i));
        return names;
    }

    /** The process's CPU time so far, every thread. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Heap in use after a full collection (several: one may leave garbage a finaliser or soft reference holds). */
    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Run once(FabricCa ca, List<SkillName> names, boolean cost) throws Exception {
        Node transit = node(ca, "transit", List.of());
        Node far = node(ca, "far", List.of(transit));
        Node edge = node(ca, "edge", List.of(transit));
        try {
            for (Node n : List.of(far, edge)) {
                n.linkReady("transit").get(10, TimeUnit.SECONDS);
                n.control().awaitRoutes(t -> true).get(10, TimeUnit.SECONDS);
            }
            awaitChannels(transit, 2);
            awaitChannels(far, 1);
            awaitChannels(edge, 1);
            SkillName last = names.get(names.size() - 1);
            long heap0 = cost ? heapAfterGc() : -1;
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            for (SkillName s : names) far.control().originate(0, s, "i", ATTACHED);
            // Announcements keep their order through every batch, so the last one in means all are in: checked below.
            edge.control().awaitRoutes(t -> t.lookup(0, last).isPresent()).get(30, TimeUnit.SECONDS);
            long learnMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            long cpuMs = cost ? TimeUnit.NANOSECONDS.toMillis(cpuNanos() - cpu0) : -1;
            long heapBytes = cost ? heapAfterGc() - heap0 : -1;
            for (SkillName s : names) {
                if (edge.routes().lookup(0, s).isEmpty()) throw new IllegalStateException(s + " missing at the edge");
            }
            t0 = System.nanoTime();
            for (SkillName s : names) far.control().withdraw(0, s, "i");
            edge.control().awaitRoutes(t -> t.lookup(0, last).isEmpty()).get(30, TimeUnit.SECONDS);
            long withdrawMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            for (SkillName s : names) {
                if (edge.routes().lookup(0, s).isPresent()) throw new IllegalStateException(s + " left at the edge");
            }
            return new Run(learnMs, withdrawMs, edge.stats().get("acip.control.update.received"), cpuMs, heapBytes);
        } finally {
            edge.close();
            far.close();
            transit.close();
        }
    }

    private static void awaitChannels(Node n, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (n.control().neighbours().get(5, TimeUnit.SECONDS).size() < count) {
            if (System.nanoTime() > deadline) throw new IllegalStateException(n.nodeId() + ": control channels not up");
            Thread.sleep(5); // set-up only, outside the measured time
        }
    }

    private static Node node(FabricCa ca, String id, List<Node> dial) throws InterruptedException {
        List<NodeConfig.Neighbour> neighbours = dial.stream()
                .map(n -> new NodeConfig.Neighbour(n.nodeId(), n.linkAddress())).toList();
        return Node.start(NodeConfig.defaults(id, new InetSocketAddress("127.0.0.1", 0), ca.issueNode(id, VALIDITY),
                ca.certificate(), neighbours));
    }
}
