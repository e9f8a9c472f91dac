package io.acip.bench.footprint;

import io.acip.node.NodeConfig;
import io.acip.tls.FabricCa;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link LineNode} in a JVM of its own, so its heap holds that node alone and is measured apart. The parent drives
 * it with one command a line on its stdin and reads one answer a line on its stdout; every answer, and every
 * progress line while sessions open or end, is awaited at most {@link #ANSWER_SECONDS}.
 */
public final class ChildNode implements FootprintNode {
    private static final String EOF = "\u0000eof";
    /** A node's own waits last up to {@link IdleSessions#WAIT_SECONDS}: its answer may come a little later. */
    private static final long ANSWER_SECONDS = IdleSessions.WAIT_SECONDS + 15;
    /** Held so the level set stays: the logging framework keeps loggers only weakly. */
    private static final Logger QUIET = Logger.getLogger("io.acip");

    private final String id;
    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final InetSocketAddress address;

    private ChildNode(String id, Process process) throws IOException, InterruptedException {
        this.id = id;
        this.process = process;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) answers.add(line);
            } catch (IOException e) {
                // the process is gone: reported as EOF below
            }
            answers.add(EOF);
        }, "child-" + id);
        reader.setDaemon(true);
        reader.start();
        String ready = answer("ready");
        String[] hostPort = ready.split(":");
        this.address = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    }

    /**
     * Starts node {@code id} in a JVM of {@code heapMib} MiB (touched at start, so resident memory shows what grows
     * outside the heap), with the fabric CA read from {@code caDir}; returns once it is ready.
     */
    public static ChildNode start(Path caDir, String id, NodeConfig.Neighbour next, LineNode.Settings settings,
                                  long heapMib) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + heapMib + "m", "-Xmx" + heapMib + "m", "-XX:+AlwaysPreTouch",
                "-Dio.netty.leakDetection.level=disabled", "-cp", System.getProperty("java.class.path"),
                ChildNode.class.getName(), caDir.toString(), id,
                next == null ? "-" : next.nodeId() + "@" + next.address().getHostString() + ":" + next.address().getPort(),
                Long.toString(settings.setupTimeout().toSeconds()), Long.toString(settings.idleTimeout().toSeconds()),
                Integer.toString(settings.maxSessions())));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            return new ChildNode(id, p);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** The next answer, which must start with {@code word}; what follows it. Progress lines are skipped. */
    private String answer(String word) throws IOException, InterruptedException {
        String line;
        do {
            line = answers.poll(ANSWER_SECONDS, TimeUnit.SECONDS);
        } while (line != null && line.startsWith("progress "));
        if (line == null) throw new IOException("node " + id + " did not answer within " + ANSWER_SECONDS + " s");
        if (line.equals(EOF)) throw new IOException("node " + id + " exited");
        if (line.startsWith("error ")) throw new IOException("node " + id + ": " + line.substring(6));
        if (!line.startsWith(word + " ") && !line.equals(word)) {
            throw new IOException("node " + id + " answered '" + line + "', expected " + word);
        }
        return line.substring(Math.min(line.length(), word.length() + 1));
    }

    private String ask(String command, String word) throws IOException, InterruptedException {
        commands.println(command);
        return answer(word);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void awaitLink(String peer) throws Exception {
        ask("await-link " + peer, "ok");
    }

    @Override
    public void prepare(int capacity) throws Exception {
        ask("prepare " + capacity, "ok");
    }

    @Override
    public IdleSessions.Result open(int count, int window) throws Exception {
        commands.println("open " + count + " " + window);
        Map<String, Integer> refused = new TreeMap<>();
        while (true) {
            String line = answers.poll(ANSWER_SECONDS, TimeUnit.SECONDS);
            if (line == null || line.equals(EOF)) throw new IOException("node " + id + " stopped while opening");
            if (line.startsWith("error ")) throw new IOException("node " + id + ": " + line.substring(6));
            String[] f = line.split(" ", 3);
            switch (f[0]) {
                case "progress" -> {
                }
                case "refused" -> refused.put(f[2], Integer.parseInt(f[1]));
                case "opened" -> {
                    String[] n = line.split(" ");
                    return new IdleSessions.Result(Integer.parseInt(n[1]), Long.parseLong(n[2]), refused,
                            Double.parseDouble(n[3]));
                }
                default -> throw new IOException("node " + id + " answered '" + line + "' while opening");
            }
        }
    }

    @Override
    public int endAll() throws Exception {
        return Integer.parseInt(ask("end", "ended"));
    }

    @Override
    public long resetAfterOpen() throws Exception {
        return Long.parseLong(ask("resets", "resets"));
    }

    @Override
    public int activeSessions() throws Exception {
        return Integer.parseInt(ask("active", "active"));
    }

    @Override
    public void close() {
        try {
            commands.println("quit");
            if (!process.waitFor(IdleSessions.WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The child: {@code caDir id next|- setupSeconds idleSeconds maxSessions}; see the class comment for the commands. */
    public static void main(String[] args) throws Exception {
        QUIET.setLevel(Level.WARNING);
        PrintStream out = System.out;
        FabricCa ca = FabricCa.load(Path.of(args[0]));
        NodeConfig.Neighbour next = null;
        if (!args[2].equals("-")) {
            String[] at = args[2].split("@");
            String[] hostPort = at[1].split(":");
            next = new NodeConfig.Neighbour(at[0], new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
        }
        LineNode node = LineNode.start(ca, args[1], next, new LineNode.Settings(
                Duration.ofSeconds(Long.parseLong(args[3])), Duration.ofSeconds(Long.parseLong(args[4])),
                Integer.parseInt(args[5])));
        out.println("ready " + node.address().getHostString() + ":" + node.address().getPort());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
                String[] f = line.split(" ");
                try {
                    switch (f[0]) {
                        case "await-link" -> {
                            node.awaitLink(f[1]);
                            out.println("ok");
                        }
                        case "prepare" -> {
                            node.prepare(Integer.parseInt(f[1]));
                            out.println("ok");
                        }
                        case "open" -> {
                            IdleSessions.Result r = node.sessions().open(Integer.parseInt(f[1]),
                                    Integer.parseInt(f[2]), asked -> out.println("progress " + asked));
                            r.refused().forEach((why, n) -> out.println("refused " + n + " " + why));
                            out.println("opened " + r.asked() + " " + r.opened() + " " + r.seconds());
                        }
                        case "end" -> out.println("ended " + node.sessions().endAll(1000,
                                left -> out.println("progress " + left)));
                        case "resets" -> out.println("resets " + node.resetAfterOpen());
                        case "active" -> out.println("active " + node.activeSessions());
                        default -> out.println("error unknown command " + line);
                    }
                } catch (Exception e) {
                    out.println("error " + String.valueOf(e).replace('\n', ' '));
                }
            }
        } finally {
            node.close();
        }
        System.exit(0);
    }
}
