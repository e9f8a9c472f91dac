import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of a gateway under load (bench/http-bench.sh PROFILE=1), run as a single source file:
 * {@code java bench/http/JfrSummary.java node.jfr [top]}.
 *
 * <p>Prints, from {@code jdk.ExecutionSample} (threads running Java code; time in native code such as quiche's
 * QUIC and BoringSSL, or epoll, is not sampled here): samples per thread, the hottest methods by self samples, and
 * inclusive shares of a few categories (a sample counts once per category whose pattern matches any frame of its
 * stack). Then allocation by class ({@code jdk.ObjectAllocationSample} weight), GC pauses, and the monitor
 * contention and parking that crossed JFR's thresholds.
 */
public final class JfrSummary {
    /** Inclusive: a sample counts once for each pattern that matches any frame of its stack. */
    private static final Map<String, Pattern> CATEGORIES = new LinkedHashMap<>();
    /**
     * Exclusive: a sample goes to the first rule that matches, walking from the leaf frame down; JDK frames that
     * match no rule (collections, NIO, ...) are skipped, so their time goes to the code that called them.
     */
    private static final Map<String, Pattern> COMPONENTS = new LinkedHashMap<>();

    static {
        cat("session handshake (io.acip.node.SessionHandshake)", "io\\.acip\\.node\\.SessionHandshake\\.");
        cat("  ECDSA P-256 sign/verify (JDK)", "sun\\.security\\.ec\\.ECDSA");
        cat("  X25519 keygen/agree (Bouncy Castle)", "org\\.bouncycastle\\.math\\.ec\\.rfc7748");
        cat("  X.509 parse + chain check", "CertificateFactory\\.generateCertificate|CertificateIdentities\\.verifyChain");
        cat("  HKDF / transcript hash", "io\\.acip\\.seal\\.SessionKeys|io\\.acip\\.seal\\.Transcript");
        cat("AES-GCM packet protection (io.acip.seal.PacketProtection)", "io\\.acip\\.seal\\.PacketProtection\\.");
        cat("Binary HTTP codec (io.acip.capsule.bhttp)", "io\\.acip\\.capsule\\.bhttp\\.");
        cat("gateway bridge (io.acip.gateway.bridge)", "io\\.acip\\.gateway\\.bridge\\.");
        cat("Jetty server (ingress)", "org\\.eclipse\\.jetty\\.server\\.");
        cat("origin forwarder (loop client, Jetty client)", "org\\.eclipse\\.jetty\\.client\\.|io\\.acip\\.gateway\\.origin\\.");
        cat("SecureRandom", "java\\.security\\.SecureRandom\\.");

        comp("JDK EC math (ECDSA P-256)", "^sun\\.security\\.(ec|util\\.math)\\.");
        comp("Bouncy Castle X25519", "^org\\.bouncycastle\\.math\\.");
        comp("JDK AES/GHASH/SHA/HMAC", "^(com\\.sun\\.crypto\\.provider|sun\\.security\\.provider\\.(SHA|Digest)|javax\\.crypto)");
        comp("JDK X.509/PKIX", "^(sun\\.security\\.(x509|util\\.Der|provider\\.certpath|provider\\.X509)|java\\.security\\.cert)");
        comp("JDK SecureRandom", "^(sun\\.security\\.provider\\.(NativePRNG|DRBG|AbstractDrbg|HashDrbg)|java\\.security\\.SecureRandom)");
        comp("acip seal (keys, AEAD glue)", "^io\\.acip\\.seal\\.");
        comp("acip Binary HTTP / capsules", "^io\\.acip\\.capsule\\.");
        comp("acip gateway (bridge, origin forwarder, mapping)", "^io\\.acip\\.gateway\\.");
        comp("acip ingress", "^io\\.acip\\.ingress\\.");
        comp("acip node (sessions, routing)", "^io\\.acip\\.(node|routing|wire)\\.");
        comp("acip links + Netty QUIC (Java side)", "^(io\\.acip\\.link\\.|io\\.netty\\.(incubator\\.)?(handler\\.)?codec\\.quic)");
        comp("Jetty", "^org\\.eclipse\\.jetty\\.");
        comp("Netty (channels, buffers, event loop)", "^io\\.netty\\.");
        comp("other libraries", "^(?!java\\.|javax\\.|jdk\\.|sun\\.|com\\.sun\\.)");
    }

    private static void cat(String name, String regex) {
        CATEGORIES.put(name, Pattern.compile(regex));
    }

    private static void comp(String name, String regex) {
        COMPONENTS.put(name, Pattern.compile(regex));
    }

    private static String component(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String m = frame(f);
            for (Map.Entry<String, Pattern> c : COMPONENTS.entrySet()) {
                if (c.getValue().matcher(m).find()) return c.getKey();
            }
        }
        return "JDK only (GC, I/O, idle)";
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java JfrSummary.java recording.jfr [top [exchanges]]");
            System.exit(2);
        }
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        long exchanges = args.length > 2 ? Long.parseLong(args[2]) : 0; // served over the recording, for per-exchange figures
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> categories = new LinkedHashMap<>();
        Map<String, Long> components = new HashMap<>();
        Map<String, Long> componentsOutsideHandshake = new HashMap<>();
        long outsideHandshake = 0;
        CATEGORIES.keySet().forEach(k -> categories.put(k, 0L));
        Map<String, Long> allocation = new HashMap<>();
        long samples = 0;
        long allocated = 0;
        long gcCount = 0;
        Duration gcPause = Duration.ZERO;
        Duration gcLongest = Duration.ZERO;
        Map<String, Long> monitors = new HashMap<>();
        Map<String, Long> parks = new HashMap<>();
        Map<String, Duration> parkTime = new HashMap<>();
        Map<String, Long> deopts = new HashMap<>();
        Map<String, Long> compiled = new HashMap<>();
        long compilations = 0;
        Duration compileTime = Duration.ZERO;
        try (RecordingFile f = new RecordingFile(Path.of(args[0]))) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                String type = e.getEventType().getName();
                switch (type) {
                    case "jdk.ExecutionSample" -> {
                        samples++;
                        threads.merge(threadName(e, "sampledThread"), 1L, Long::sum);
                        RecordedStackTrace st = e.getStackTrace();
                        if (st == null || st.getFrames().isEmpty()) continue;
                        self.merge(frame(st.getFrames().get(0)), 1L, Long::sum);
                        Set<String> hit = new LinkedHashSet<>();
                        for (RecordedFrame fr : st.getFrames()) {
                            String m = frame(fr);
                            for (Map.Entry<String, Pattern> c : CATEGORIES.entrySet()) {
                                if (!hit.contains(c.getKey()) && c.getValue().matcher(m).find()) hit.add(c.getKey());
                            }
                        }
                        hit.forEach(k -> categories.merge(k, 1L, Long::sum));
                        String c = component(st.getFrames());
                        components.merge(c, 1L, Long::sum);
                        if (!hit.contains("session handshake (io.acip.node.SessionHandshake)")) {
                            outsideHandshake++;
                            componentsOutsideHandshake.merge(c, 1L, Long::sum);
                        }
                    }
                    case "jdk.ObjectAllocationSample" -> {
                        long w = e.getLong("weight");
                        allocated += w;
                        var cls = e.getClass("objectClass");
                        allocation.merge(cls == null ? "?" : cls.getName(), w, Long::sum);
                    }
                    case "jdk.GarbageCollection" -> {
                        gcCount++;
                        Duration d = e.getDuration("sumOfPauses");
                        gcPause = gcPause.plus(d);
                        if (d.compareTo(gcLongest) > 0) gcLongest = d;
                    }
                    case "jdk.JavaMonitorEnter" -> {
                        var cls = e.getClass("monitorClass");
                        monitors.merge((cls == null ? "?" : cls.getName()) + " @ " + caller(e), 1L, Long::sum);
                    }
                    case "jdk.ThreadPark" -> {
                        String k = threadName(e, "eventThread") + " @ " + caller(e);
                        parks.merge(k, 1L, Long::sum);
                        parkTime.merge(k, e.getDuration(), Duration::plus);
                    }
                    case "jdk.Deoptimization" -> {
                        var m = e.getValue("method");
                        String where = m instanceof jdk.jfr.consumer.RecordedMethod rm
                                ? rm.getType().getName() + "." + rm.getName() : "?";
                        deopts.merge(where + " (" + e.getString("reason") + ", " + e.getString("action") + ")", 1L,
                                Long::sum);
                    }
                    case "jdk.Compilation" -> {
                        compilations++;
                        compileTime = compileTime.plus(e.getDuration());
                        var m = e.getValue("method");
                        if (m instanceof jdk.jfr.consumer.RecordedMethod rm) {
                            compiled.merge(rm.getType().getName() + "." + rm.getName(), 1L, Long::sum);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        System.out.printf("execution samples: %d (Java code only; native code such as quiche/BoringSSL is not sampled)%n", samples);
        if (samples == 0) return;
        final long n = samples;
        System.out.println("  by thread:");
        sorted(threads, 8).forEach(en -> System.out.printf("    %5.1f%%  %s%n", 100.0 * en.getValue() / n, en.getKey()));
        System.out.println("  hottest methods (self):");
        sorted(self, top).forEach(en -> System.out.printf("    %5.1f%%  %s%n", 100.0 * en.getValue() / n, en.getKey()));
        System.out.println("  inclusive (share of samples with such a frame anywhere on the stack):");
        categories.forEach((k, v) -> System.out.printf("    %5.1f%%  %s%n", 100.0 * v / n, k));
        System.out.println("  by component (exclusive, sums to 100%):");
        sorted(components, 20).forEach(en -> System.out.printf("    %5.1f%%  %s%n", 100.0 * en.getValue() / n, en.getKey()));
        if (outsideHandshake > 0) {
            final long o = outsideHandshake;
            System.out.printf("  the %.1f%% of samples outside the session handshake, by component:%n", 100.0 * o / n);
            sorted(componentsOutsideHandshake, 10).forEach(en -> System.out.printf("    %5.1f%%  %s%n",
                    100.0 * en.getValue() / o, en.getKey()));
        }
        if (allocated > 0) {
            final long total = allocated;
            System.out.printf("allocation (sampled weight): %.0f MB in the recording%s; by class:%n", total / 1e6,
                    exchanges > 0 ? String.format(", %.1f KB per exchange (%d exchanges)", total / 1e3 / exchanges,
                            exchanges) : "");
            sorted(allocation, 8).forEach(en -> System.out.printf("    %5.1f%%  %s%n", 100.0 * en.getValue() / total, en.getKey()));
        }
        System.out.printf("GC: %d collections, %d ms paused in all, longest %d ms%n", gcCount, gcPause.toMillis(),
                gcLongest.toMillis());
        long deoptTotal = deopts.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("deoptimizations: %d; most frequent:%n", deoptTotal);
        sorted(deopts, 6).forEach(en -> System.out.printf("    %6d  %s%n", en.getValue(), en.getKey()));
        System.out.printf("compilations over JFR's threshold: %d, %d ms; most often recompiled:%n", compilations,
                compileTime.toMillis());
        sorted(compiled, 5).forEach(en -> System.out.printf("    %6d  %s%n", en.getValue(), en.getKey()));
        long monitorTotal = monitors.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("contended monitor enters over threshold: %d%n", monitorTotal);
        sorted(monitors, 5).forEach(en -> System.out.printf("    %6d  %s%n", en.getValue(), en.getKey()));
        long parkTotal = parks.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("thread parks over threshold: %d%n", parkTotal);
        sorted(parks, 5).forEach(en -> System.out.printf("    %6d  %7d ms  %s%n", en.getValue(),
                parkTime.get(en.getKey()).toMillis(), en.getKey()));
    }

    private static String threadName(RecordedEvent e, String field) {
        var t = e.getThread(field);
        if (t == null) return "?";
        String n = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
        // Collapse numbered pool threads: qtp123-45 -> qtp*, origin-client-7 -> origin-client-*.
        return n == null ? "?" : n.replaceAll("\\d+", "#");
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String caller(RecordedEvent e) {
        RecordedStackTrace st = e.getStackTrace();
        if (st == null) return "?";
        for (RecordedFrame f : st.getFrames()) {
            String m = frame(f);
            if (!m.startsWith("java.") && !m.startsWith("jdk.") && !m.startsWith("sun.")) return m;
        }
        return st.getFrames().isEmpty() ? "?" : frame(st.getFrames().get(0));
    }

    private static List<Map.Entry<String, Long>> sorted(Map<String, Long> m, int n) {
        List<Map.Entry<String, Long>> l = new ArrayList<>(m.entrySet());
        l.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        return l.subList(0, Math.min(n, l.size()));
    }
}
