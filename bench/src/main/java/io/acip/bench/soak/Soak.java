package io.acip.bench.soak;

import io.acip.capsule.bhttp.Fields;
import io.acip.gateway.demo.DemoAgents;
import io.acip.gateway.demo.UdpEchoAgent;
import io.acip.ingress.masque.Http1MasqueClient;
import io.acip.ingress.masque.Http2MasqueClient;
import io.acip.ingress.masque.Http3MasqueClient;
import io.acip.ingress.masque.KwikH3Connection;
import io.acip.ingress.masque.MasqueClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A three-node fabric (edge, transit, far: three JVMs on loopback) driven for a given time with a mix of traffic:
 * HTTP/1.1, h2c and HTTP/2 over TLS (JDK client), HTTP/3 (Flupke), SSE streams, 1 MiB uploads, and CONNECT-UDP over
 * HTTP/1.1, HTTP/2 and HTTP/3 to a skill's UDP endpoint. Every minute each node is sampled (heap after a full GC,
 * RSS, threads, file descriptors, sessions, link labels); at the end the median of the last third of the samples is
 * compared with that of the first third, and the run fails if anything grew by more than 5 %. See bench/soak.sh.
 *
 * <pre>java -cp benchmarks.jar io.acip.bench.soak.Soak --jar acip-gateway.jar --work DIR [--minutes 30] [--sample 60]</pre>
 */
public final class Soak {
    private static final double LIMIT = 0.05;
    /** Below these absolute changes a growth is noise, whatever its percentage (a count going from 2 to 3). */
    private static final long[] SLACK = {4 * 1024, 8 * 1024, 4, 8, 4, 4};

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        int minutes = Integer.parseInt(a.getOrDefault("minutes", "30"));
        int sampleSeconds = Integer.parseInt(a.getOrDefault("sample", "60"));
        int warmupSeconds = Integer.parseInt(a.getOrDefault("warmup", "120"));
        Path jar = Path.of(a.getOrDefault("jar", "gateway/target/acip-gateway.jar"));
        Path work = Path.of(a.getOrDefault("work", Files.createTempDirectory("acip-soak").toString()));
        boolean ok = new Soak().run(jar, work, Duration.ofSeconds(warmupSeconds), Duration.ofMinutes(minutes),
                Duration.ofSeconds(sampleSeconds));
        System.exit(ok ? 0 : 1);
    }

    private boolean run(Path jar, Path work, Duration warmup, Duration length, Duration every) throws Exception {
        Files.createDirectories(work);
        List<NodeProcess> nodes = new ArrayList<>();
        try (DemoAgents agents = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0));
             UdpEchoAgent echo = UdpEchoAgent.start(InetAddress.getLoopbackAddress(), 0, false)) {
            int link = freeUdp();
            int http = freeTcp();
            int tls = freeTcp();
            int[] admin = {freeTcp(), freeTcp(), freeTcp()};
            String ca = work.resolve("ca").toString();
            Files.writeString(work.resolve("transit.yaml"), String.join("\n",
                    "node: {id: transit, listen: 127.0.0.1:" + link + ", data_dir: " + work.resolve("transit")
                            + ", fabric_ca: " + ca + ", routes: [{prefix: demo, via: far}]}",
                    "admin: {listen: 127.0.0.1:" + admin[1] + "}", ""));
            Files.writeString(work.resolve("far.yaml"), String.join("\n",
                    "node: {id: far, data_dir: " + work.resolve("far") + ", fabric_ca: " + ca
                            + ", neighbours: [{id: transit, address: 127.0.0.1:" + link + "}]}",
                    "agents:",
                    "  - {name: demo, origin: " + agents.uri() + ", skills: [{name: demo/echo}, {name: demo/sse, path: /sse}]}",
                    "  - {name: demo-udp, origin: " + agents.uri() + ", udp: 127.0.0.1:" + echo.address().getPort()
                            + ", skills: [{name: demo/udp-echo}]}",
                    "admin: {listen: 127.0.0.1:" + admin[2] + "}", ""));
            Files.writeString(work.resolve("edge.yaml"), String.join("\n",
                    "node: {id: edge, data_dir: " + work.resolve("edge") + ", fabric_ca: " + ca
                            + ", neighbours: [{id: transit, address: 127.0.0.1:" + link + "}],"
                            + " routes: [{prefix: demo, via: transit}]}",
                    "http: {name: soak-edge, listen: 127.0.0.1:" + http + ", tls_listen: 127.0.0.1:" + tls
                            + ", skills: [demo/echo, demo/sse]}",
                    "admin: {listen: 127.0.0.1:" + admin[0] + "}", ""));
            nodes.add(NodeProcess.start("transit", jar, work.resolve("transit.yaml"), work.resolve("transit.log"),
                    admin[1], "256m"));
            nodes.add(NodeProcess.start("far", jar, work.resolve("far.yaml"), work.resolve("far.log"), admin[2], "256m"));
            nodes.add(0, NodeProcess.start("edge", jar, work.resolve("edge.yaml"), work.resolve("edge.log"), admin[0],
                    "256m"));
            X509Certificate caCert = certificate(work.resolve("ca").resolve("ca.pem"));
            Load load = new Load(http, tls, caCert);
            load.awaitReady();
            log("fabric up: edge http " + http + ", tls/h3 " + tls + "; " + warmup.toSeconds() + " s of load to warm up"
                    + " (JIT, pools, caches), then " + length.toMinutes() + " min sampled every " + every.toSeconds()
                    + " s; logs and samples in " + work);
            ScheduledExecutorService drivers = Executors.newScheduledThreadPool(6);
            load.schedule(drivers);
            Thread.sleep(warmup.toMillis());
            List<List<NodeProcess.Sample>> samples = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) samples.add(new ArrayList<>());
            Path tsv = work.resolve("samples.tsv");
            Files.writeString(tsv, "seconds\tnode\t" + String.join("\t", NodeProcess.Sample.NAMES) + "\n");
            long start = System.nanoTime();
            while (System.nanoTime() - start < length.toNanos()) {
                Thread.sleep(every.toMillis()); // the soak's own clock: one sample per period
                long at = (System.nanoTime() - start) / 1_000_000_000L;
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < nodes.size(); i++) {
                    NodeProcess.Sample s = nodes.get(i).sample();
                    samples.get(i).add(s);
                    Files.writeString(tsv, at + "\t" + nodes.get(i).name + "\t" + join(s) + "\n",
                            java.nio.file.StandardOpenOption.APPEND);
                    line.append(String.format(" | %s heap %d MiB rss %d MiB thr %d fd %d sess %d lbl %d",
                            nodes.get(i).name, s.heapAfterGcKib() / 1024, s.rssKib() / 1024, s.threads(), s.fds(),
                            s.sessions(), s.labels()));
                }
                log("t=" + at + "s" + line + " | " + load.summary());
            }
            drivers.shutdownNow();
            drivers.awaitTermination(30, TimeUnit.SECONDS);
            return report(nodes, samples, load);
        } finally {
            for (NodeProcess n : nodes) n.close();
        }
    }

    private boolean report(List<NodeProcess> nodes, List<List<NodeProcess.Sample>> samples, Load load) {
        System.out.println();
        System.out.println("traffic: " + load.summary());
        System.out.printf("%-8s %-18s %14s %14s %8s  %s%n", "node", "metric", "first third", "last third", "growth",
                "verdict");
        boolean ok = true;
        for (int n = 0; n < nodes.size(); n++) {
            List<NodeProcess.Sample> s = samples.get(n);
            int third = Math.max(1, s.size() / 3);
            for (int m = 0; m < NodeProcess.Sample.NAMES.size(); m++) {
                long first = median(s.subList(0, third), m);
                long last = median(s.subList(s.size() - third, s.size()), m);
                double growth = first <= 0 ? 0 : (last - first) / (double) first;
                boolean grew = growth > LIMIT && last - first > SLACK[m];
                ok &= !grew;
                System.out.printf("%-8s %-18s %14d %14d %7.1f%%  %s%n", nodes.get(n).name,
                        NodeProcess.Sample.NAMES.get(m), first, last, growth * 100, grew ? "GREW" : "ok");
            }
        }
        long failures = load.failures();
        lastFailure.forEach((kind, why) -> System.out.println("last " + kind + " failure: " + why));
        System.out.println(ok && failures == 0 ? "PASS" : "FAIL" + (failures > 0 ? " (" + failures
                + " failed requests or flows)" : ""));
        return ok && failures == 0;
    }

    private static long median(List<NodeProcess.Sample> s, int metric) {
        long[] v = s.stream().mapToLong(x -> x.get(metric)).sorted().toArray();
        return v[v.length / 2];
    }

    private static String join(NodeProcess.Sample s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < NodeProcess.Sample.NAMES.size(); i++) b.append(i == 0 ? "" : "\t").append(s.get(i));
        return b.toString();
    }

    static void log(String s) {
        System.out.println(LocalTime.now().withNano(0) + " " + s);
    }

    private static int freeTcp() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdp() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** The traffic mix, each kind on a schedule of its own, counted by outcome. */
    private final class Load {
        private final int http;
        private final int tls;
        private final X509Certificate ca;
        private final HttpClient h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        private final HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10)).build();
        private final HttpClient h2;
        private final HttpClient h3;
        private final byte[] upload = new byte[1 << 20];

        Load(int http, int tls, X509Certificate ca) throws Exception {
            this.http = http;
            this.tls = tls;
            this.ca = ca;
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(ssl)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            h3 = tech.kwik.flupke.Http3Client.newBuilder().trustManager(KwikH3Connection.trustManager(ca))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            Arrays.fill(upload, (byte) 'x');
        }

        void awaitReady() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                try {
                    if (h1.send(get("http://127.0.0.1:" + http + "/skills/demo/echo/ready"),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
                } catch (IOException e) {
                    // links still coming up
                }
                Thread.sleep(200);
            }
            throw new IOException("the fabric did not serve demo/echo within 60 s");
        }

        void schedule(ScheduledExecutorService s) {
            every(s, 20, "h1", () -> exchange(h1, get("http://127.0.0.1:" + http + "/skills/demo/echo/h1")));
            every(s, 20, "h2c", () -> exchange(h2c, get("http://127.0.0.1:" + http + "/skills/demo/echo/h2c")));
            every(s, 20, "h2", () -> exchange(h2, get("https://localhost:" + tls + "/skills/demo/echo/h2")));
            every(s, 50, "h3", () -> exchange(h3, get("https://localhost:" + tls + "/skills/demo/echo/h3")));
            every(s, 2_000, "sse", () -> exchange(h1, get("http://127.0.0.1:" + http
                    + "/skills/demo/sse/?n=20&interval_ms=50")));
            every(s, 1_000, "upload", () -> exchange(h2, HttpRequest.newBuilder(URI.create("https://localhost:" + tls
                    + "/skills/demo/echo/upload")).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build()));
            every(s, 5_000, "udp-h1", () -> flow(Http1MasqueClient.cleartext(new InetSocketAddress("127.0.0.1", http))));
            every(s, 5_000, "udp-h2", () -> flow(Http2MasqueClient.tls(new InetSocketAddress("127.0.0.1", tls),
                    trust())));
            every(s, 5_000, "udp-h3", () -> flow(Http3MasqueClient.connect(new InetSocketAddress("127.0.0.1", tls), ca)));
        }

        private KeyStore trust() throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", ca);
            return store;
        }

        private interface Work {
            boolean run() throws Exception;
        }

        private void every(ScheduledExecutorService s, long millis, String kind, Work w) {
            s.scheduleWithFixedDelay(() -> {
                boolean good;
                try {
                    good = w.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    lastFailure.put(kind, e.toString());
                    good = false;
                }
                counts.computeIfAbsent(kind + (good ? ".ok" : ".failed"), k -> new LongAdder()).increment();
            }, millis, millis, TimeUnit.MILLISECONDS);
        }

        private HttpRequest get(String url) {
            return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
        }

        private boolean exchange(HttpClient client, HttpRequest request) throws Exception {
            HttpResponse<byte[]> r = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .get(60, TimeUnit.SECONDS);
            return r.statusCode() == 200;
        }

        /**
         * One CONNECT-UDP flow to the UDP echo skill: 50 datagrams sent one at a time, then closed. UDP may lose a
         * datagram (QUIC DATAGRAM frames are unreliable by design), so the flow fails only when it is refused or
         * fewer than 45 echoes come back; each lost one is counted apart.
         */
        private boolean flow(MasqueClient client) throws Exception {
            try (client; MasqueClient.Flow f = client.open("localhost", "/.well-known/masque/udp/udp-echo.demo.acip/7/",
                    Fields.EMPTY, true, Duration.ofSeconds(10))) {
                if (f.status() != 101 && f.status() != 200) {
                    lastFailure.put(client.httpVersion() + " flow", "status " + f.status());
                    return false;
                }
                int echoed = 0;
                for (int i = 0; i < 50; i++) {
                    byte[] p = ("soak " + i).getBytes(StandardCharsets.UTF_8);
                    f.send(p);
                    // An echo of an earlier datagram that came late is passed over, not taken for this one's loss:
                    // otherwise one late echo would make every later datagram of the flow look lost.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                    for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                        byte[] got = f.receive(Duration.ofNanos(left));
                        if (got == null) break;
                        if (Arrays.equals(p, got)) {
                            echoed++;
                            break;
                        }
                    }
                }
                counts.computeIfAbsent("udp.datagram.lost", k -> new LongAdder()).add(50 - echoed);
                return echoed >= 45;
            }
        }

        long failures() {
            return counts.entrySet().stream().filter(e -> e.getKey().endsWith(".failed"))
                    .mapToLong(e -> e.getValue().sum()).sum();
        }

        String summary() {
            StringBuilder b = new StringBuilder();
            new TreeMap<>(counts).forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ')
                    .append(v.sum()));
            return b.toString();
        }
    }
}
