package io.acip.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acip.gateway.attach.AttachRefusedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The registry of a node on its own: one JSON file per registration under {@code <node.data_dir>/registry/}, named
 * by the SHA-256 of the agent's name (names may hold any printable character). Each write goes to a temporary file
 * that is synced and then moved over the old one atomically, so a crash leaves the old registration or the new one,
 * never half of either. A file this node cannot read is left alone and logged, and the node starts without it.
 * With a lease, registrations not renewed in time are removed (checked every second). Without a folder (a node
 * whose {@code node.data_dir} is not set) it keeps registrations in memory only, by the same rules.
 */
public final class FileRegistry implements AgentRegistry {
    private static final Logger LOG = Logger.getLogger(FileRegistry.class.getName());
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final Duration lease;
    private final Map<String, Instant> expiries = new LinkedHashMap<>(); // agent -> lease end (Instant.MAX: none)
    private final Map<String, Registration> held = new LinkedHashMap<>();
    private ScheduledExecutorService sweeper;
    private Listener listener;

    /**
     * @param dir the folder, or null to keep registrations for this process only
     * @param lease how long a registration lives without renewal; {@link Duration#ZERO} for no lease
     */
    public FileRegistry(Path dir, Duration lease) {
        this.dir = dir;
        this.lease = lease;
    }

    @Override
    public synchronized List<Registration> start(Listener l) throws IOException {
        this.listener = l;
        if (dir == null) {
            LOG.info("registry: node.data_dir is not set, so run-time registrations last as long as this process");
            startSweeper();
            return List.of();
        }
        Files.createDirectories(dir);
        Instant now = Instant.now();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp")) {
                    Files.deleteIfExists(f); // a write that never reached its move
                } else if (name.endsWith(SUFFIX)) {
                    load(f, now);
                }
            }
        }
        startSweeper();
        LOG.info("registry: " + held.size() + " run-time registrations from " + dir);
        return List.copyOf(held.values());
    }

    private void startSweeper() {
        if (!lease.isZero()) {
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "registry-leases");
                t.setDaemon(true);
                return t;
            });
            sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
        }
    }

    private void load(Path f, Instant now) {
        try {
            JsonNode json = Registration.JSON.readTree(Files.readAllBytes(f));
            Registration r = Registration.fromJson(json);
            if (!f.getFileName().toString().equals(fileName(r.agent()))) {
                throw new IOException("it holds agent '" + r.agent() + "', whose file is " + fileName(r.agent()));
            }
            Instant expires = json.hasNonNull("expires") ? Instant.parse(json.get("expires").asText()) : Instant.MAX;
            if (expires.isBefore(now)) {
                LOG.info("registry: agent " + r.agent() + "'s lease lapsed at " + expires + " while the node was down; "
                        + "removed");
                Files.deleteIfExists(f);
                return;
            }
            held.put(r.agent(), r);
            expiries.put(r.agent(), expires);
        } catch (IOException | RuntimeException e) {
            LOG.severe("registry: " + f + " is not a registration this node can read (" + e.getMessage()
                    + "); it is ignored: fix or remove the file, and register the agent again");
        }
    }

    @Override
    public synchronized void put(Registration r) throws AttachRefusedException {
        for (Registration other : held.values()) {
            if (other.agent().equals(r.agent())) continue;
            for (String s : r.skills()) {
                if (other.skills().contains(s)) {
                    throw AttachRefusedException.held("skill " + s, "agent " + other.agent() + " (registry)");
                }
            }
        }
        Instant expires = lease.isZero() ? Instant.MAX : Instant.now().plus(lease);
        write(r, expires);
        held.put(r.agent(), r);
        expiries.put(r.agent(), expires);
    }

    @Override
    public synchronized void remove(String agent) throws AttachRefusedException {
        if (held.remove(agent) == null) return;
        expiries.remove(agent);
        if (dir == null) return;
        try {
            Files.deleteIfExists(dir.resolve(fileName(agent)));
        } catch (IOException e) {
            throw AgentRegistry.unavailable("file store " + dir, "cannot delete " + fileName(agent) + ": " + e);
        }
    }

    @Override
    public synchronized Duration renew(String agent) throws AttachRefusedException {
        Registration r = held.get(agent);
        if (r == null) throw AgentRegistry.notRegistered(agent);
        if (lease.isZero()) return Duration.ZERO;
        Instant expires = Instant.now().plus(lease);
        write(r, expires);
        expiries.put(agent, expires);
        return lease;
    }

    private void sweep() {
        List<String> lapsed = new ArrayList<>();
        synchronized (this) {
            Instant now = Instant.now();
            expiries.forEach((agent, end) -> {
                if (end.isBefore(now)) lapsed.add(agent);
            });
            for (String agent : lapsed) {
                held.remove(agent);
                expiries.remove(agent);
                if (dir == null) continue;
                try {
                    Files.deleteIfExists(dir.resolve(fileName(agent)));
                } catch (IOException e) {
                    LOG.warning("registry: agent " + agent + "'s lease lapsed but its file stays: " + e);
                }
            }
        }
        for (String agent : lapsed) {
            LOG.info("registry: agent " + agent + "'s lease lapsed (not renewed within " + lease + "); detached");
            listener.removed(agent);
        }
    }

    /** Temporary file, synced, then an atomic move over the old one. */
    private void write(Registration r, Instant expires) throws AttachRefusedException {
        if (dir == null) return;
        ObjectNode json = r.toJson();
        if (expires != Instant.MAX) json.put("expires", expires.toString());
        Path target = dir.resolve(fileName(r.agent()));
        Path tmp = dir.resolve("." + fileName(r.agent()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(r.toBytes(json));
                while (bytes.hasRemaining()) ch.write(bytes);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the next start removes it
            }
            throw AgentRegistry.unavailable("file store " + dir, "cannot write " + target.getFileName() + ": " + e);
        }
    }

    static String fileName(String agent) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(agent.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h) + SUFFIX;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public Status status() {
        return new Status(dir == null ? "memory" : "file", null, 0, "");
    }

    @Override
    public void close() {
        if (sweeper != null) sweeper.shutdownNow();
    }
}
