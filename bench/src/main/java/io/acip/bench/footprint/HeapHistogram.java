package io.acip.bench.footprint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process's live heap by class, from {@code jmap -histo:live} (which runs a full GC first), and its resident
 * memory from /proc. The histogram's total is the heap measured: live objects only, whatever the collector's regions
 * hold besides.
 */
public record HeapHistogram(Map<String, Counts> classes, long totalBytes, long rssBytes) {
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)");

    /** Instances and bytes of one class. */
    public record Counts(long instances, long bytes) {
    }

    /**
     * A histogram taken and not yet read: jmap writes it to {@code file}, so that a measured JVM holds nothing of
     * it (parsed, it would count as heap the next time); {@code rssBytes} is read at the same moment.
     */
    public record Capture(Path file, long rssBytes) {
        public HeapHistogram read() throws IOException {
            return parse(Files.readString(file), rssBytes);
        }
    }

    /** Takes one of process {@code pid} into {@code file}. */
    public static Capture capture(long pid, Path file) throws IOException, InterruptedException {
        Path jmap = Path.of(System.getProperty("java.home"), "bin", "jmap");
        Process p = new ProcessBuilder(Files.isExecutable(jmap) ? jmap.toString() : "jmap", "-histo:live",
                Long.toString(pid)).redirectErrorStream(true).redirectOutput(file.toFile()).start();
        if (!p.waitFor(IdleSessions.WAIT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("jmap -histo:live " + pid + " failed: see " + file);
        }
        return new Capture(file, rss(pid));
    }

    private static HeapHistogram parse(String out, long rssBytes) throws IOException {
        Map<String, Counts> classes = new HashMap<>();
        long total = -1;
        for (String line : out.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                classes.merge(m.group(3), new Counts(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
                        (a, b) -> new Counts(a.instances + b.instances, a.bytes + b.bytes));
                continue;
            }
            Matcher t = TOTAL.matcher(line);
            if (t.find()) total = Long.parseLong(t.group(2));
        }
        if (total < 0) throw new IOException("no total in jmap's histogram: " + out.lines().limit(3).toList());
        return new HeapHistogram(classes, total, rssBytes);
    }

    private static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    /** One class's growth from {@code before} to this histogram. */
    public record Growth(String className, long instances, long bytes) {
    }

    /** The {@code top} classes that grew most in bytes since {@code before}. */
    public List<Growth> growthSince(HeapHistogram before, int top) {
        Set<String> names = new HashSet<>(classes.keySet());
        names.addAll(before.classes.keySet());
        List<Growth> out = new ArrayList<>();
        for (String name : names) {
            Counts now = classes.getOrDefault(name, new Counts(0, 0));
            Counts then = before.classes.getOrDefault(name, new Counts(0, 0));
            out.add(new Growth(name, now.instances - then.instances, now.bytes - then.bytes));
        }
        out.sort(Comparator.comparingLong(Growth::bytes).reversed());
        return out.subList(0, Math.min(top, out.size()));
    }
}
