package io.acip.bench.udp;

import io.acip.bench.fabric.ThreadCpu;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * CPU per thread over a measurement window, summed per role: the gateway's threads ({@code gw}: HTTP/3 listener
 * loop, Jetty's pool for HTTP/1.1 and HTTP/2, the UDP relay's loop for direct sockets, the node's loop), the client's
 * ({@code client}), the echo server's ({@code echo}) and the JVM's own (GC, JIT, the harness; {@code jvm}).
 * In % of one core.
 */
public final class CpuGroups {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static final Pattern NETTY_DEFAULT = Pattern.compile("multiThreadIoEventLoopGroup-(\\d+)-\\d+");
    private static final List<String> GROUPS = List.of("gw", "client", "echo", "jvm");

    private final EdgeGateway gateway;
    private final Map<Long, Long> start;
    private final long[] machineStart = machineTicks();
    private final long startNanos = System.nanoTime();

    private CpuGroups(EdgeGateway gateway) {
        this.gateway = gateway;
        this.start = ThreadCpu.cpuTimes();
    }

    static CpuGroups start(EdgeGateway gateway) {
        return new CpuGroups(gateway);
    }

    /** Per group in % of one core, with the group's roles: {@code gw 142% (h3 91%, relay 44%, ...)}. */
    public record Usage(Map<String, Double> groups, Map<String, Map<String, Double>> roles, double machine,
                        double softirq) {
        double group(String g) {
            return groups.getOrDefault(g, 0.0);
        }

        @Override
        public String toString() {
            return GROUPS.stream().filter(g -> group(g) >= 0.5).map(g -> {
                String parts = roles.getOrDefault(g, Map.of()).entrySet().stream()
                        .filter(e -> e.getValue() >= 1)
                        .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                        .map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", "));
                return String.format(Locale.ROOT, "%s %.0f%%", g, group(g)) + (parts.isEmpty() || !g.equals("gw")
                        && !g.equals("client") ? "" : " (" + parts + ")");
            }).collect(Collectors.joining("; ")) + (machine < 0 ? "" : String.format(Locale.ROOT,
                    "; machine %.0f%% (softirq %.0f%%)", machine, softirq));
        }
    }

    public Usage stop() {
        double elapsed = System.nanoTime() - startNanos;
        Map<String, Double> groups = new LinkedHashMap<>();
        Map<String, Map<String, Double>> roles = new HashMap<>();
        ThreadCpu.cpuTimes().forEach((id, cpu) -> {
            double percent = 100.0 * (cpu - start.getOrDefault(id, 0L)) / elapsed;
            if (percent <= 0) return;
            var info = THREADS.getThreadInfo(id);
            String[] role = role(info == null ? "" : info.getThreadName());
            groups.merge(role[0], percent, Double::sum);
            roles.computeIfAbsent(role[0], k -> new LinkedHashMap<>()).merge(role[1], percent, Double::sum);
        });
        long[] m = machineTicks();
        double hz = 100; // USER_HZ: /proc/stat counts in 1/100 s on Linux
        double seconds = elapsed / 1e9;
        double machine = m == null || machineStart == null ? -1 : 100 * (m[0] - machineStart[0]) / hz / seconds;
        double softirq = m == null || machineStart == null ? -1 : 100 * (m[1] - machineStart[1]) / hz / seconds;
        return new Usage(groups, roles, machine, softirq);
    }

    /**
     * Busy and softirq ticks of the whole machine ({@code /proc/stat}), null where unknown. Loopback delivery runs
     * partly in softirq, which no thread's CPU time may show: the machine figure says whether the cores were full.
     */
    private static long[] machineTicks() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim()
                    .split("\\s+");
            // cpu user nice system idle iowait irq softirq steal
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
            return new long[] {busy, Long.parseLong(f[7])};
        } catch (Exception e) {
            return null;
        }
    }

    /** {group, role} of a thread, by the names the gateway, the clients and the echo server give theirs. */
    private String[] role(String name) {
        if (name.startsWith("udp-echo")) return new String[] {"echo", "echo"};
        if (name.startsWith("client-")) {
            return new String[] {"client", name.substring("client-".length()).replaceAll("(-\\d+)+$", "")};
        }
        if (name.startsWith("acip-h3")) return new String[] {"gw", "h3"};
        if (name.startsWith("acip-ingress")) return new String[] {"gw", "jetty"};
        if (name.startsWith("acip-udp-relay")) return new String[] {"gw", "relay"};
        if (name.startsWith("origin-client")) return new String[] {"gw", "origin"};
        Matcher m = NETTY_DEFAULT.matcher(name);
        if (m.matches()) {
            int pool = Integer.parseInt(m.group(1));
            if (pool > gateway.firstPool && pool < gateway.lastPool) {
                return new String[] {"gw", gateway.nodePools.contains(pool) ? "node" : "relay"};
            }
        }
        return new String[] {"jvm", name};
    }
}
