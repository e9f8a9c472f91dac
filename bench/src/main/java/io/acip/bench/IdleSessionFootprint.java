package io.acip.bench;

import io.acip.bench.footprint.HeapHistogram;
import io.acip.bench.footprint.LineNode;
import io.acip.bench.footprint.MeasuredLine;
import io.acip.bench.footprint.MeasuredLine.Footprint;
import io.acip.link.LinkConfig;
import io.acip.tls.FabricCa;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Heap per idle session, and the sessions one node holds in a 1 GiB heap (issue 13: at most 10 KiB each, 100,000 per
 * node). Idle connection-mode sessions are opened through real nodes on loopback (QUIC links, one stream per session
 * per link) to a skill that accepts them and does nothing, {@code --window} unanswered at a time, and left open; the
 * heap is the live objects after a full GC ({@code jmap -histo:live}), taken before and after opening them and again
 * after ending them.
 *
 * <p>Measured five ways, each on fresh nodes: one node whose own initiators open sessions to a skill attached to it
 * (a gateway with a local skill); the line edge, transit, far all in this JVM (the whole chain); and the same line
 * three more times with one node in a JVM of its own, whose heap then holds that node alone: the figure per node
 * role. Per-role figures come from measuring each role's own process, not from dividing the chain.
 *
 * <pre>java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -Dsessions=20000 -cp bench/target/benchmarks.jar
 *     io.acip.bench.IdleSessionFootprint [--sessions N] [--window 500] [--warmup 1000] [--top 15]
 *     [--only local,chain,edge,transit,far] [--setup-timeout s (30)] [--idle-timeout s (3600)]
 *     [--max-sessions n (node default)] [--child-heap MiB (this JVM's -Xmx)]</pre>
 */
public final class IdleSessionFootprint {
    /** local: a node with a local skill; chain: edge, transit, far in this JVM; edge, transit, far: that node alone. */
    private static final List<String> SCENARIOS = List.of("local", "chain", "edge", "transit", "far");
    private static final long GIB = 1L << 30;
    private static final long GOAL_BYTES = 10 * 1024;
    private static final int GOAL_SESSIONS = 100_000;
    /** Heap per session opened still held after they all ended that is worth showing what it is. */
    private static final long REMAINING_NOTED = 64;

    private record Options(int sessions, int window, int warmup, int top, List<String> scenarios,
                           Duration setupTimeout, Duration idleTimeout, int maxSessions, long childHeapMib) {
        static Options parse(String[] args) {
            int sessions = Integer.getInteger("sessions", 20_000);
            int window = 500;
            int warmup = 1000;
            int top = 15;
            List<String> scenarios = SCENARIOS;
            long setup = 30;
            long idle = 3600;
            int max = 0;
            long childHeap = Runtime.getRuntime().maxMemory() >> 20;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--sessions" -> sessions = Harness.positive(args[i], value);
                    case "--window" -> window = Harness.positive(args[i], value);
                    case "--warmup" -> warmup = "0".equals(value) ? 0 : Harness.positive(args[i], value);
                    case "--top" -> top = Harness.positive(args[i], value);
                    case "--idle-timeout" -> idle = Harness.positive(args[i], value);
                    case "--max-sessions" -> max = Harness.positive(args[i], value);
                    case "--child-heap" -> childHeap = Harness.positive(args[i], value);
                    case "--only" -> {
                        scenarios = List.of(String.valueOf(value).split(","));
                        if (!SCENARIOS.containsAll(scenarios)) {
                            throw new IllegalArgumentException("--only takes some of " + String.join(",", SCENARIOS));
                        }
                    }
                    case "--setup-timeout" -> setup = Harness.positive(args[i], value);
                    case "--help", "-h" -> throw new IllegalArgumentException("");
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            if (sessions < 1) throw new IllegalArgumentException("-Dsessions needs a positive integer");
            return new Options(sessions, Math.min(window, sessions), warmup, top, scenarios, Duration.ofSeconds(setup),
                    Duration.ofSeconds(idle), max, childHeap);
        }

        int effectiveMaxSessions() {
            return maxSessions > 0 ? maxSessions : LineNode.Settings.defaultMaxSessions();
        }
    }

    private IdleSessionFootprint() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Harness.optionsOrExit(args, Options::parse, "usage: [-Dsessions=N (20000)] IdleSessionFootprint"
                + " [--sessions N] [--window in flight (500)] [--warmup sessions (1000)] [--top classes (15)]"
                + " [--only local,chain,edge,transit,far (all)] [--setup-timeout s (30)] [--idle-timeout s (3600)] [--max-sessions per node (node default)]"
                + " [--child-heap MiB (this JVM's max heap)]");
        Harness.quiet("io.acip");
        Harness.startWatchdog("IdleSessionFootprint", Duration.ofSeconds(o.scenarios.size() * (300L + o.sessions / 20)));

        Path caDir = Files.createTempDirectory("footprint-ca");
        FabricCa ca = FabricCa.loadOrCreate(caDir, "bench footprint");
        LineNode.Settings settings = new LineNode.Settings(o.setupTimeout, o.idleTimeout, o.maxSessions);
        MeasuredLine.Load load = new MeasuredLine.Load(o.sessions, o.window, o.warmup);
        List<String> chain = List.of("edge", "transit", "far");
        List<Footprint> rows = new ArrayList<>();
        try {
            for (String scenario : o.scenarios) {
                rows.add(switch (scenario) {
                    case "local" -> measure("local skill, 1 node", ca, caDir, List.of("local"), -1, settings, o, load);
                    case "chain" -> measure("chain, one JVM", ca, caDir, chain, -1, settings, o, load);
                    default -> measure(scenario + ", own JVM", ca, caDir, chain, chain.indexOf(scenario), settings, o,
                            load);
                });
            }
        } finally {
            try (var files = Files.list(caDir)) {
                for (Path f : files.toList()) Files.delete(f);
            }
            Files.delete(caDir);
        }
        print(o, rows);
        System.exit(0);
    }

    private static Footprint measure(String name, FabricCa ca, Path caDir, List<String> ids, int ownJvm,
                                     LineNode.Settings settings, Options o, MeasuredLine.Load load) throws Exception {
        System.err.println("measuring " + name + ": " + o.sessions + " sessions ...");
        return MeasuredLine.measure(name, ca, caDir, ids, ownJvm, settings, o.childHeapMib, load);
    }

    private static void print(Options o, List<Footprint> rows) {
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        boolean touched = jvm.contains("-XX:+AlwaysPreTouch");
        System.out.printf(Locale.ROOT, "%nIdleSessionFootprint: %,d idle connection-mode sessions (%d in flight while"
                        + " opening, %,d opened and ended first), %d CPUs, JDK %s, this JVM's heap %d MiB%s, own JVMs"
                        + " %d MiB; node setup and attempt timeouts %d s, idle timeout %d s, max_sessions %,d%n", o.sessions, o.window, o.warmup,
                Runtime.getRuntime().availableProcessors(), Runtime.version().feature(),
                Runtime.getRuntime().maxMemory() >> 20, touched ? " (touched at start)" : "", o.childHeapMib,
                o.setupTimeout.toSeconds(), o.idleTimeout.toSeconds(), o.effectiveMaxSessions());
        System.out.printf(Locale.ROOT, "%-20s %-20s %8s %7s %8s %9s %9s %9s  %s%n", "measured", "heap of", "opened",
                "open/s", "heap B", "off-heap", "after end", "1 GiB", "counted toward max_sessions per session");
        for (Footprint f : rows) {
            String counted = f.opened().opened() == 0 ? "-" : String.join(", ", f.active().entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(),
                            (double) e.getValue() / f.opened().opened())).toList());
            System.out.printf(Locale.ROOT, "%-20s %-20s %8d %7.0f %8s %9s %9s %9s  %s%n", f.name(),
                    f.measuredNode(), f.opened().opened(), f.opened().opened() / f.opened().seconds(),
                    String.format(Locale.ROOT, "%,d", f.heapPerSession()),
                    String.format(Locale.ROOT, "%,d", f.residentPerSession()),
                    String.format(Locale.ROOT, "%,d", f.remainingPerSession()), perGib(f.heapPerSession()), counted);
        }
        System.out.println("heap B: growth of the live heap (jmap -histo:live, after a full GC) per open session;"
                + " off-heap: growth of resident memory per session (QUIC state in quiche's native memory, direct"
                + " buffers), honest only where the heap was touched at start (own JVMs always, this JVM with"
                + " -XX:+AlwaysPreTouch); after end: live heap per session still held once every session ended (caches"
                + " kept for later sessions, or a leak); 1 GiB: sessions whose heap fits in 1 GiB.");
        verdict(o, rows);
        for (Footprint f : rows) composition(f, o.top);
    }

    private static String perGib(long bytesPerSession) {
        return bytesPerSession <= 0 ? "-" : String.format(Locale.ROOT, "%,d", GIB / bytesPerSession);
    }

    /** The goal per node role, the busiest role, and whether max_sessions lets a node hold what its heap could. */
    private static void verdict(Options o, List<Footprint> rows) {
        List<String> notes = new ArrayList<>();
        Footprint busiest = null;
        for (Footprint f : rows) {
            if (f.name().endsWith("own JVM") && (busiest == null || f.heapPerSession() > busiest.heapPerSession())) {
                busiest = f;
            }
        }
        if (busiest != null) {
            notes.add(String.format(Locale.ROOT, "busiest role: %s, %,d B of heap per idle session (goal %,d):"
                            + " %s sessions in a 1 GiB heap (goal %,d): %s", busiest.measuredNode(),
                    busiest.heapPerSession(), GOAL_BYTES, perGib(busiest.heapPerSession()), GOAL_SESSIONS,
                    busiest.heapPerSession() <= GOAL_BYTES ? "met" : "missed"));
        }
        for (Footprint f : rows) {
            if (f.opened().opened() < f.opened().asked()) {
                notes.add(f.name() + ": " + (f.opened().asked() - f.opened().opened()) + " of " + f.opened().asked()
                        + " sessions refused: " + f.opened().refused());
            }
            if (f.left() > 0 || f.resets() > 0) {
                notes.add(f.name() + ": " + f.resets() + " sessions reset while idle, " + f.left()
                        + " not ended within 60 s of the last end");
            }
            for (Map.Entry<String, Integer> e : f.active().entrySet()) {
                if (f.opened().opened() == 0 || e.getValue() <= f.opened().opened()) continue;
                double each = (double) e.getValue() / f.opened().opened();
                notes.add(String.format(Locale.ROOT, "%s: node %s counts %.0f toward max_sessions per session, so at"
                                + " max_sessions %,d it holds %,d sessions, not %,d", f.name(), e.getKey(), each,
                        o.effectiveMaxSessions(), (long) (o.effectiveMaxSessions() / each), o.effectiveMaxSessions()));
            }
        }
        notes.add(String.format(Locale.ROOT, "a link carries at most %,d QUIC streams at once (LinkConfig.maxStreams):"
                + " one per session, one for the link's control channel", LinkConfig.DEFAULT.maxStreams()));
        System.out.println("Notes:");
        notes.forEach(n -> System.out.println("  " + n));
    }

    /** The classes that grew most while the sessions were open: what an idle session is made of. */
    private static void composition(Footprint f, int top) {
        long n = Math.max(1, f.opened().opened());
        System.out.printf(Locale.ROOT, "%nTop %d classes by heap growth, %s (heap of %s), per open session:%n", top,
                f.name(), f.measuredNode());
        System.out.printf(Locale.ROOT, "  %9s %9s  %s%n", "instances", "bytes", "class");
        table(f.open().growthSince(f.before(), top), n);
        if (f.remainingPerSession() > REMAINING_NOTED) {
            System.out.printf(Locale.ROOT, "  still held once every session ended, per session opened:%n");
            table(f.ended().growthSince(f.before(), 5), n);
        }
    }

    private static void table(List<HeapHistogram.Growth> rows, long sessions) {
        for (HeapHistogram.Growth g : rows) {
            System.out.printf(Locale.ROOT, "  %9.2f %9.1f  %s%n", (double) g.instances() / sessions,
                    (double) g.bytes() / sessions, g.className());
        }
    }
}
