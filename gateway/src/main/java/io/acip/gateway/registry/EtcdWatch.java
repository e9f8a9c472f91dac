package io.acip.gateway.registry;

import io.acip.gateway.registry.AgentRegistry.Listener;
import io.acip.gateway.registry.AgentRegistry.Status;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Follows {@code agents/} under the prefix: reads it whole once (in pages, at one revision), then watches from the
 * next revision. When the watch fails (etcd stopped, the network gone) the node is stale: it keeps serving what it
 * has, and watches again from the revision it had, after a backoff that doubles from 250 ms to 4 s (with jitter, so
 * replicas do not return in step), getting only what changed meanwhile. Only when etcd has compacted that revision
 * away does it read the prefix whole again and tell the listener the difference.
 */
final class EtcdWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EtcdWatch.class.getName());
    private static final long FIRST_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 4000;
    private static final int PAGE = 1000;

    private final Client client;
    private final ByteSequence agents;
    private final Duration timeout;
    private final String registry;
    private final Runnable reconnectNow;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-watch");
        t.setDaemon(true);
        return t;
    });
    private Listener listener;
    private volatile Watch.Watcher watcher;
    private volatile long next; // the revision to watch from
    private volatile Instant staleSince = Instant.now();
    private volatile String staleDetail = "not read yet";
    private volatile boolean closed;
    private long backoff = FIRST_BACKOFF_MS;

    /** @param reconnectNow makes the client's connection try again at once, rather than after its own backoff */
    EtcdWatch(Client client, ByteSequence agents, Duration timeout, String registry, Runnable reconnectNow) {
        this.client = client;
        this.reconnectNow = reconnectNow;
        this.agents = agents;
        this.timeout = timeout;
        this.registry = registry;
    }

    /** What the prefix holds now (empty when etcd does not answer: then read as soon as it does). */
    List<Registration> start(Listener l) {
        this.listener = l;
        try {
            List<Registration> now = readAll();
            staleSince = null;
            staleDetail = "";
            LOG.info("registry: " + now.size() + " run-time registrations from " + registry + " at revision "
                    + (next - 1));
            timer.execute(this::watch);
            return now;
        } catch (Exception e) {
            stale("cannot read " + registry + ": " + why(e));
            LOG.warning("registry: " + registry + " does not answer (" + why(e) + "); this node starts "
                    + "without run-time registrations and reads them once it does");
            schedule(this::reload);
            return List.of();
        }
    }

    /** The prefix at one revision, a page at a time; remembers which agents it saw and where to watch from. */
    private List<Registration> readAll() throws Exception {
        List<Registration> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ByteSequence end = io.etcd.jetcd.options.OptionsUtil.prefixEndOf(agents);
        ByteSequence from = agents;
        long revision = 0;
        while (true) {
            GetOption.Builder o = GetOption.builder().withRange(end).withLimit(PAGE)
                    .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.ASCEND);
            if (revision != 0) o.withRevision(revision);
            GetResponse page = client.getKVClient().get(from, o.build()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (revision == 0) revision = page.getHeader().getRevision();
            for (KeyValue kv : page.getKvs()) {
                Registration r = read(kv);
                if (r != null) {
                    out.add(r);
                    seen.add(r.agent());
                }
            }
            if (!page.isMore() || page.getKvs().isEmpty()) break;
            from = ByteSequence.from(append0(page.getKvs().get(page.getKvs().size() - 1).getKey().getBytes()));
        }
        known.retainAll(seen);
        known.addAll(seen);
        next = revision + 1;
        return out;
    }

    /** The smallest key after {@code key}: the key with a zero byte appended. */
    private static byte[] append0(byte[] key) {
        return java.util.Arrays.copyOf(key, key.length + 1);
    }

    /** After a compaction, or a start etcd did not answer: read whole, tell the listener the difference, watch. */
    private void reload() {
        if (closed) return;
        reconnectNow.run();
        try {
            Set<String> before = new HashSet<>(known);
            List<Registration> now = readAll();
            for (Registration r : now) listener.registered(r);
            for (String agent : before) {
                if (!known.contains(agent)) listener.removed(agent);
            }
            LOG.info("registry: read " + now.size() + " registrations from " + registry + " again (revision "
                    + (next - 1) + ")");
            watch();
        } catch (Exception e) {
            stale("cannot read " + registry + ": " + why(e));
            schedule(this::reload);
        }
    }

    private void watch() {
        if (closed) return;
        if (staleSince != null) reconnectNow.run();
        WatchOption option = WatchOption.builder().isPrefix(true).withRevision(next).withCreateNotify(true).build();
        watcher = client.getWatchClient().watch(agents, option, Watch.listener(this::onNext, this::onError));
    }

    private void onNext(WatchResponse response) {
        if (response.isCreatedNotify()) {
            if (staleSince != null) {
                LOG.info("registry: watching " + registry + " again from revision " + next + " (stale since "
                        + staleSince + ")");
            }
            staleSince = null;
            staleDetail = "";
            timer.execute(() -> backoff = FIRST_BACKOFF_MS);
            return;
        }
        for (WatchEvent e : response.getEvents()) {
            KeyValue kv = e.getKeyValue();
            String agent = EtcdRegistry.agentOf(kv.getKey(), agents);
            if (e.getEventType() == WatchEvent.EventType.PUT) {
                Registration r = read(kv);
                if (r != null) {
                    known.add(agent);
                    listener.registered(r);
                }
            } else if (e.getEventType() == WatchEvent.EventType.DELETE) {
                known.remove(agent);
                listener.removed(agent);
            }
            next = Math.max(next, kv.getModRevision() + 1);
        }
    }

    private void onError(Throwable t) {
        if (closed) return;
        Watch.Watcher failed = watcher;
        // The client would resume every 500 ms in step with every other replica: close it and back off instead.
        timer.execute(() -> {
            if (failed != null) failed.close();
        });
        if (t instanceof CompactedException || t.getCause() instanceof CompactedException) {
            stale("revision " + next + " was compacted away");
            LOG.warning("registry: " + registry + " compacted revision " + next + " away; reading it whole again");
            schedule(this::reload);
        } else {
            stale("watch failed: " + t.getMessage());
            schedule(this::watch);
        }
    }

    private void stale(String why) {
        if (staleSince == null) {
            staleSince = Instant.now();
            LOG.warning("registry: " + registry + " is out of reach (" + why + "); serving the registrations seen up "
                    + "to revision " + (next - 1) + ", refusing changes with 503");
        }
        staleDetail = why;
    }

    private void schedule(Runnable r) {
        if (closed) return;
        timer.execute(() -> {
            long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            timer.schedule(r, delay, TimeUnit.MILLISECONDS);
        });
    }

    private Registration read(KeyValue kv) {
        try {
            return Registration.fromBytes(kv.getValue().getBytes());
        } catch (IOException e) {
            LOG.severe("registry: " + kv.getKey().toString(java.nio.charset.StandardCharsets.UTF_8) + " in "
                    + registry + " is not a registration this node can read (" + e.getMessage() + "); ignored");
            return null;
        }
    }

    private String why(Exception e) {
        if (e instanceof java.util.concurrent.TimeoutException) return "no answer within " + timeout;
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        return String.valueOf(cause.getMessage());
    }

    Status status() {
        return new Status("etcd", staleSince, next - 1, staleDetail);
    }

    @Override
    public void close() {
        closed = true;
        Watch.Watcher w = watcher;
        if (w != null) w.close();
        timer.shutdownNow();
    }
}
