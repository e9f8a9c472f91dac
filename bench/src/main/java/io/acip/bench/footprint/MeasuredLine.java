package io.acip.bench.footprint;

import io.acip.node.NodeConfig;
import io.acip.tls.FabricCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A line of nodes (the first opens sessions, each dials the next, the last serves the skill) and one measurement on
 * it: warm up, take the baseline, open the idle sessions, take the heap again, end them, take it a third time. The
 * heap taken is that of one process: this JVM when it holds the whole line, else the one node that runs in a JVM of
 * its own.
 */
public final class MeasuredLine {
    /** Until the last link stream of an ended session closed: each lingers up to 30 s (StreamLeg.LINGER_SECONDS). */
    private static final Duration ENDED = Duration.ofSeconds(32);
    /** In flight while warming up: a cold JVM answers slowly, and setups that time out open the circuit breakers. */
    private static final int WARMUP_WINDOW = 50;

    /** How many sessions, how many in flight while opening, how many opened and ended before the baseline. */
    public record Load(int sessions, int window, int warmup) {
    }

    /**
     * What one measurement found.
     *
     * @param active what each node counted toward {@code max_sessions} with the sessions open, by node ID
     * @param left sessions not ended in time at the end; resets: sessions reset while idle (both 0 in a sound run)
     */
    public record Footprint(String name, String measuredNode, IdleSessions.Result opened,
                            Map<String, Integer> active, HeapHistogram before, HeapHistogram open,
                            HeapHistogram ended, int left, long resets) {
        public long heapPerSession() {
            return perSession(open.totalBytes() - before.totalBytes());
        }

        public long residentPerSession() {
            return perSession(open.rssBytes() - before.rssBytes());
        }

        /** What stayed after every session ended: caches kept for later sessions, and anything leaked. */
        public long remainingPerSession() {
            return perSession(ended.totalBytes() - before.totalBytes());
        }

        private long perSession(long bytes) {
            return opened.opened() == 0 ? 0 : Math.round((double) bytes / opened.opened());
        }
    }

    /** What {@link #run} saw, before the histograms are read (once the nodes are gone). */
    private record Captured(IdleSessions.Result opened, Map<String, Integer> active, HeapHistogram.Capture before,
                            HeapHistogram.Capture open, HeapHistogram.Capture ended, int left, long resets) {
    }

    private MeasuredLine() {
    }

    /**
     * Builds the line {@code ids} (first to last) and measures it. The node at index {@code ownJvm} (none if
     * negative) runs in a JVM of its own of {@code childHeapMib}, and its heap is the one measured; otherwise every
     * node runs here and this JVM's heap is measured.
     */
    public static Footprint measure(String name, FabricCa ca, Path caDir, List<String> ids, int ownJvm,
                                    LineNode.Settings settings, long childHeapMib, Load load) throws Exception {
        Path dir = Files.createTempDirectory("footprint-histo");
        List<FootprintNode> nodes = new ArrayList<>();
        Captured c;
        try {
            try {
                FootprintNode next = null;
                for (int i = ids.size() - 1; i >= 0; i--) {
                    NodeConfig.Neighbour dial = next == null ? null
                            : new NodeConfig.Neighbour(next.id(), next.address());
                    FootprintNode n = i == ownJvm ? ChildNode.start(caDir, ids.get(i), dial, settings, childHeapMib)
                            : LineNode.start(ca, ids.get(i), dial, settings);
                    nodes.add(0, n);
                    if (next != null) next.awaitLink(n.id()); // n waited for its own side when it started
                    next = n;
                }
                c = run(nodes, nodes.get(Math.max(0, ownJvm)).pid(), dir, load, settings.setupTimeout());
            } finally {
                for (FootprintNode n : nodes) n.close();
            }
            String measured = ownJvm < 0 ? String.join("+", ids) : ids.get(ownJvm);
            return new Footprint(name, measured, c.opened, c.active, c.before.read(), c.open.read(), c.ended.read(),
                    c.left, c.resets);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.delete(f);
            }
            Files.delete(dir);
        }
    }

    private static Captured run(List<FootprintNode> nodes, long pid, Path dir, Load load, Duration setupTimeout)
            throws Exception {
        FootprintNode edge = nodes.get(0);
        edge.prepare(Math.max(load.sessions(), load.warmup()));
        if (load.warmup() > 0) {
            edge.open(load.warmup(), Math.min(WARMUP_WINDOW, load.window()));
            edge.endAll();
            settle(ENDED);
        }
        HeapHistogram.Capture before = HeapHistogram.capture(pid, dir.resolve("before"));
        IdleSessions.Result opened = edge.open(load.sessions(), load.window());
        // Until the last setup timer has run out: an initiator node holds each session's timer (and through it the
        // session) for the setup timeout whether or not SETUP_ACK came, and an idle session has none.
        settle(setupTimeout.plusSeconds(1));
        Map<String, Integer> active = new LinkedHashMap<>();
        for (FootprintNode n : nodes) active.put(n.id(), n.activeSessions());
        HeapHistogram.Capture open = HeapHistogram.capture(pid, dir.resolve("open"));
        long resets = edge.resetAfterOpen();
        int left = edge.endAll();
        settle(ENDED);
        HeapHistogram.Capture ended = HeapHistogram.capture(pid, dir.resolve("ended"));
        return new Captured(opened, active, before, open, ended, left, resets);
    }

    /** Waits out a node's own timers: there is no event that says they ran. */
    private static void settle(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
