package io.acip.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acip.routing.NextHop;
import io.acip.tls.FabricCa;
import io.acip.wire.SkillName;
import io.netty.buffer.Unpooled;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge in this JVM, transit and far each in a process of its own, sharing a CA on disk. */
class SeparateProcessesTest {
    @TempDir
    Path caDir;

    private final List<Process> processes = new ArrayList<>();

    @Test
    void sessionCrossesThreeProcesses() throws Exception {
        FabricCa ca = FabricCa.loadOrCreate(caDir, "process fabric");
        try {
            Started transit = start("id=transit", "route=demo>far", "await=far");
            Started far = start("id=far", "neighbour=transit@127.0.0.1:" + transit.port, "serve=demo/echo",
                    "await=transit");
            far.awaitReady();
            transit.awaitReady();
            try (Node edge = Node.start(NodeConfig.defaults("edge", new InetSocketAddress("127.0.0.1", 0),
                    ca.issueNode("edge", Duration.ofDays(1)), ca.certificate(),
                    List.of(new NodeConfig.Neighbour("transit", new InetSocketAddress("127.0.0.1", transit.port)))))) {
                edge.linkReady("transit").get(20, TimeUnit.SECONDS);
                edge.addRoute(0, new SkillName("demo"), new NextHop.Neighbour("transit", 0, 1, "", Map.of()));
                Recorder r = new Recorder();
                edge.open(SessionRequest.stream(new SkillName("demo/echo"), "agent://t"), r);
                Session s = r.opened.get(20, TimeUnit.SECONDS);
                assertEquals(List.of("edge", "transit", "far"), s.trajectory());
                byte[] payload = "across three processes".getBytes(StandardCharsets.UTF_8);
                s.write(Unpooled.wrappedBuffer(payload), true);
                assertArrayEquals(payload, r.finished.get(20, TimeUnit.SECONDS));
            }
        } finally {
            for (Process p : processes) {
                p.getOutputStream().close();
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            }
        }
    }

    private record Started(Process process, BufferedReader out, int port) {
        void awaitReady() throws Exception {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.equals("READY")) return;
            }
            throw new IllegalStateException("node process ended before READY");
        }
    }

    private Started start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                "-cp", System.getProperty("java.class.path"), NodeProcess.class.getName(), "ca=" + caDir));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("PORT ")) return new Started(p, out, Integer.parseInt(line.substring(5)));
        }
        throw new IllegalStateException("node process ended before listening: " + String.join(" ", args));
    }
}
