package io.acip.gateway.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.Gateway;
import io.acip.gateway.demo.DemoAgents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload without restart: {@code POST /reload} and SIGHUP read the file again; rules, skills, agents, policy and its
 * limits change in place; an invalid file or a change that needs a restart is refused by the field's path and the
 * running configuration stays; reloads under load (h2load) lose no request. Clients: curl and h2load.
 */
class ReloadTest {
    @TempDir
    static Path dir;
    static DemoAgents demo;
    static final List<AutoCloseable> parts = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        demo = DemoAgents.start(new InetSocketAddress("127.0.0.1", 0));
        parts.add(demo);
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = parts.size() - 1; i >= 0; i--) parts.get(i).close();
    }

    /** A node with HTTP and agents in one; {@code v2} adds a host rule, an agent and skill, and a rate limit. */
    static String yaml(String id, String http, String admin, boolean v2) {
        String y = "node:\n  id: " + id + "\n  fabric_ca: " + dir.resolve("ca") + "\n  data_dir: " + dir.resolve(id)
                + "\nhttp:\n  name: " + id + "\n  listen: " + http + "\n  skills: [demo/echo" + (v2 ? ", demo/two" : "")
                + "]\n";
        if (v2) y += "  rules:\n    - {host: api.example, path_prefix: /echo, skill: demo/echo, strip_prefix: true}\n";
        y += "agents:\n  - name: demo\n    origin: " + demo.uri() + "\n    skills:\n      - name: demo/echo\n"
                + (v2 ? "        region: eu\n" : "");
        if (v2) y += "  - name: second\n    origin: " + demo.uri() + "\n    skills:\n      - name: demo/two\n";
        if (v2) y += "policy:\n  - skills: [demo/two]\n    allow: [anonymous]\n    rate: {per_second: 1, burst: 1}\n";
        return y + "admin:\n  listen: " + admin + "\n";
    }

    static Gateway node(String id, boolean v2) throws Exception {
        Path file = dir.resolve(id + ".yaml");
        Files.writeString(file, yaml(id, "127.0.0.1:0", "127.0.0.1:0", v2));
        Gateway g = Gateway.start(Gateway.load(file)).source(file);
        parts.add(g);
        return g;
    }

    record Answer(int status, String out) {
    }

    static Answer curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--max-time", "30", "-o", "/dev/stderr",
                "-w", "%{http_code}"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String body = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(40, TimeUnit.SECONDS));
        return new Answer(Integer.parseInt(status.trim()), body);
    }

    static Answer reload(Gateway g) throws Exception {
        return curl("-X", "POST", "http://127.0.0.1:" + g.adminPort() + "/reload");
    }

    @Test
    void rulesSkillsAgentsAndLimitsChangeInPlace() throws Exception {
        Gateway g = node("inplace", false);
        String http = "http://127.0.0.1:" + g.httpPorts()[0];
        assertEquals(404, curl("-H", "Host: api.example", http + "/echo/x").status());
        assertEquals(404, curl(http + "/skills/demo/two/x").status());

        Files.writeString(dir.resolve("inplace.yaml"), yaml("inplace", "127.0.0.1:0", "127.0.0.1:0", true));
        Answer r = reload(g);
        assertEquals(200, r.status(), r.out());
        for (String s : List.of("http.rules", "http.skills", "policy", "agents")) assertTrue(r.out().contains(s), r.out());
        assertEquals(200, curl("-H", "Host: api.example", http + "/echo/x").status(), "the new rule");
        assertEquals(200, curl(http + "/skills/demo/two/x").status(), "the new agent's skill");
        assertEquals(429, curl(http + "/skills/demo/two/x").status(), "the new limit: 1 per second, burst 1");
        assertTrue(curl("http://127.0.0.1:" + g.adminPort() + "/agents").out().contains("\"second\""));

        Files.writeString(dir.resolve("inplace.yaml"), yaml("inplace", "127.0.0.1:0", "127.0.0.1:0", false));
        assertEquals(200, reload(g).status());
        assertEquals(404, curl("-H", "Host: api.example", http + "/echo/x").status(), "the rule is gone");
        assertEquals(404, curl(http + "/skills/demo/two/x").status(), "the agent is detached");
        assertEquals(200, curl(http + "/skills/demo/echo/x").status());
    }

    @Test
    void invalidFilesAndChangesThatNeedARestartAreRefusedByName() throws Exception {
        Gateway g = node("refusing", false);
        Path file = dir.resolve("refusing.yaml");
        String http = "http://127.0.0.1:" + g.httpPorts()[0];
        Files.writeString(file, yaml("refusing", "127.0.0.1:0", "127.0.0.1:0", true)
                + "udp:\n  idle_timeout: soon\n");
        Answer bad = reload(g);
        assertEquals(409, bad.status(), bad.out());
        assertTrue(bad.out().contains("udp.idle_timeout"), bad.out());

        Files.writeString(file, yaml("refusing", "127.0.0.1:1", "127.0.0.1:0", true));
        Answer listen = reload(g);
        assertEquals(409, listen.status(), listen.out());
        assertTrue(listen.out().contains("http.listen") && listen.out().contains("restart"), listen.out());

        Files.writeString(file, yaml("renamed", "127.0.0.1:0", "127.0.0.1:0", true).replace("data_dir: "
                + dir.resolve("renamed"), "data_dir: " + dir.resolve("refusing")));
        Answer id = reload(g);
        assertEquals(409, id.status(), id.out());
        assertTrue(id.out().contains("node.id"), id.out());

        // Nothing of the refused files was applied.
        assertEquals(404, curl("-H", "Host: api.example", http + "/echo/x").status());
        assertEquals(200, curl(http + "/skills/demo/echo/x").status());
        assertEquals(1, g.config().agents().size());
    }

    @Test
    void sighupReloadsTheFileOfARunningProcess() throws Exception {
        int port = freePort();
        int admin = freePort();
        Path file = dir.resolve("hup.yaml");
        Files.writeString(file, yaml("hup", "127.0.0.1:" + port, "127.0.0.1:" + admin, false));
        // Through python3, which restores SIGHUP's default action: a test run under nohup would otherwise hand the
        // node an ignored SIGHUP, for which the JVM installs no handler.
        List<String> cmd = List.of("python3", "-c", "import os, signal, sys; signal.signal(signal.SIGHUP, "
                + "signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.leakDetection.level=disabled", "-cp", System.getProperty("java.class.path"),
                io.acip.gateway.Main.class.getName(), "run", "--config", file.toString());
        Process node = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("hup.log")
                .toFile()).start();
        try {
            String http = "http://127.0.0.1:" + port;
            awaitStatus(200, () -> curl(http + "/skills/demo/echo/x"), node);
            assertEquals(404, curl("-H", "Host: api.example", http + "/echo/x").status());
            Files.writeString(file, yaml("hup", "127.0.0.1:" + port, "127.0.0.1:" + admin, true));
            assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(node.pid())).start().waitFor());
            awaitStatus(200, () -> curl("-H", "Host: api.example", http + "/echo/x"), node);
            assertTrue(node.isAlive(), "SIGHUP does not stop the node");
        } finally {
            node.destroy();
            node.waitFor(40, TimeUnit.SECONDS);
        }
    }

    interface Call {
        Answer call() throws Exception;
    }

    /** Asks until the answer has {@code status} (the node starting, a signal being handled), within 30 s. */
    static void awaitStatus(int status, Call call, Process node) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            int got;
            try {
                got = call.call().status();
            } catch (NumberFormatException e) {
                got = 0; // not listening yet
            }
            if (got == status) return;
            assertTrue(node.isAlive(), "the node exited: " + Files.readString(dir.resolve("hup.log")));
            assertTrue(System.nanoTime() < deadline, "still " + got + ": " + Files.readString(dir.resolve("hup.log")));
            Thread.sleep(50);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void reloadsUnderLoadLoseNoRequest() throws Exception {
        Gateway g = node("loaded", false);
        Path file = dir.resolve("loaded.yaml");
        int n = 400;
        // h2load over h2c: 4 connections at 20 requests per second each, about 5 s of traffic to demo/echo.
        Process load = new ProcessBuilder("h2load", "-n", Integer.toString(n), "-c", "4", "--rps", "20",
                "http://127.0.0.1:" + g.httpPorts()[0] + "/skills/demo/echo/load").redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                load.getInputStream().transferTo(out);
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
        int reloads = 0;
        boolean v2 = false;
        // Each reload replaces the demo agent's instance of demo/echo in place (its region changes), adds or removes
        // an agent, a rule and a limit, while h2load's requests cross it.
        while (load.isAlive()) {
            v2 = !v2;
            Files.writeString(file, yaml("loaded", "127.0.0.1:0", "127.0.0.1:0", v2));
            Answer r = reload(g);
            assertEquals(200, r.status(), r.out());
            reloads++;
        }
        reader.join(10_000);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, load.exitValue(), text);
        Matcher done = Pattern.compile("requests: (\\d+) total, \\d+ started, (\\d+) done, (\\d+) succeeded, (\\d+) "
                + "failed, (\\d+) errored, (\\d+) timeout").matcher(text);
        assertTrue(done.find(), text);
        assertEquals(n, Integer.parseInt(done.group(3)), "every request succeeded: " + text);
        Matcher codes = Pattern.compile("status codes: (\\d+) 2xx, (\\d+) 3xx, (\\d+) 4xx, (\\d+) 5xx").matcher(text);
        assertTrue(codes.find(), text);
        assertEquals(n, Integer.parseInt(codes.group(1)), "every answer a 2xx: " + text);
        assertTrue(reloads >= 5, "reloaded " + reloads + " times during the load");
    }
}
