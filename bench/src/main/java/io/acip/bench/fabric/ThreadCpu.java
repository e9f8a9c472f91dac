package io.acip.bench.fabric;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CPU time per thread over a measurement window, to show which event loop is the bottleneck: a loop near 100 % of a
 * core is saturated. Threads are shown under the names given with {@link #name} (nodes' loops carry Netty's
 * generated names otherwise).
 */
public final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Map<Long, String> NAMES = new HashMap<>();

    private final Map<Long, Long> start = cpuTimes();
    private final long startNanos = System.nanoTime();

    /** The ids of the threads alive now, to find the ones a node starts with {@link #nameNewThreads}. */
    public static Set<Long> liveThreads() {
        return cpuTimes().keySet();
    }

    /** Names the threads started since {@code before} (a node's event loop) {@code name}. */
    public static synchronized void nameNewThreads(Set<Long> before, String name) {
        for (long id : liveThreads()) {
            if (!before.contains(id)) NAMES.put(id, name);
        }
    }

    /** Starts a window now. */
    public static ThreadCpu start() {
        return new ThreadCpu();
    }

    /** The busiest threads since the window started, as "name 97%" (% of one core), busiest first. */
    public String busiest(int count) {
        long elapsed = System.nanoTime() - startNanos;
        Map<Long, Long> end = cpuTimes();
        List<Map.Entry<Long, Long>> used = new ArrayList<>();
        end.forEach((id, cpu) -> used.add(Map.entry(id, cpu - start.getOrDefault(id, 0L))));
        used.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        List<String> out = new ArrayList<>();
        for (Map.Entry<Long, Long> e : used.subList(0, Math.min(count, used.size()))) {
            double percent = 100.0 * e.getValue() / elapsed;
            if (percent < 1) break;
            out.add(String.format(Locale.ROOT, "%s %.0f%%", displayName(e.getKey()), percent));
        }
        return String.join(", ", out);
    }

    private static synchronized String displayName(long id) {
        String name = NAMES.get(id);
        if (name != null) return name;
        ThreadInfo info = THREADS.getThreadInfo(id);
        return info == null ? "thread-" + id : info.getThreadName();
    }

    /** CPU nanoseconds each live thread has used so far, by thread id (where the JVM can tell). */
    public static Map<Long, Long> cpuTimes() {
        Map<Long, Long> times = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long cpu = THREADS.getThreadCpuTime(id);
            if (cpu >= 0) times.put(id, cpu);
        }
        return times;
    }
}
