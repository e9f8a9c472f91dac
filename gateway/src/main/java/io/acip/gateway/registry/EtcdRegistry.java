package io.acip.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acip.gateway.attach.AttachRefusedException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Registrations in etcd, shared by edge replicas. Under the configured prefix, {@code agents/<agent>} holds a
 * registration (its JSON, with the lease's ID) and {@code skills/<skill>} the name of the agent that claimed the
 * skill; both sit on one lease per registration, so a lapsed lease removes them together. A write is one
 * transaction that compares the agent's key with what was read and each skill's key with absent (or already this
 * agent's): two agents claiming one skill at two replicas cannot both win, and the loser gets 409 naming the
 * holder. {@link EtcdWatch} follows {@code agents/} and tells the listener what changed.
 */
public final class EtcdRegistry implements AgentRegistry {
    private static final Logger LOG = Logger.getLogger(EtcdRegistry.class.getName());
    private static final int ATTEMPTS = 3;

    /**
     * @param prefix keys start with it (ends with {@code /})
     * @param timeout bound on each call to etcd; past it a write is 503
     * @param lease how long a registration lives without renewal; {@link Duration#ZERO} for no lease
     */
    public record Settings(List<String> endpoints, String prefix, Optional<String> user, Optional<String> password,
                           Optional<EtcdTlsFiles> tls, Duration timeout, Duration lease) {
        String describe() {
            return "etcd " + String.join(",", endpoints) + " " + prefix;
        }
    }

    /** PEM files: the CA etcd's certificates chain to; a client certificate and key, when etcd asks for one. */
    public record EtcdTlsFiles(String ca, Optional<String> certificate, Optional<String> key) {
    }

    private final Settings settings;
    private final Client client;
    private final EtcdWatch watch;

    public EtcdRegistry(Settings settings) throws IOException {
        this.settings = settings;
        this.client = client(settings);
        this.watch = new EtcdWatch(client, key("agents/"), settings.timeout(), settings.describe(),
                connectBackoffReset(client));
    }

    private static Client client(Settings s) throws IOException {
        ClientBuilder b = Client.builder().endpoints(s.endpoints().toArray(String[]::new))
                // Fail fast while etcd is away (503, and the watch backs off) instead of queueing until it returns.
                .waitForReady(false)
                .connectTimeout(s.timeout())
                .keepaliveTime(Duration.ofSeconds(10)).keepaliveTimeout(Duration.ofSeconds(5))
                .maxInboundMessageSize(16 << 20);
        if (s.user().isPresent()) {
            b.user(bytes(s.user().get())).password(bytes(s.password().orElse("")));
        }
        if (s.tls().isPresent()) {
            EtcdTlsFiles t = s.tls().get();
            b.sslContext(ssl -> {
                ssl.trustManager(new java.io.File(t.ca()));
                if (t.certificate().isPresent()) {
                    ssl.keyManager(new java.io.File(t.certificate().get()), new java.io.File(t.key().orElseThrow()));
                }
            });
        }
        return b.build();
    }

    /**
     * gRPC's channel waits its own backoff before reconnecting to an etcd that went away (growing to two minutes:
     * after a 30 s outage the replicas came back 11 to 21 s late), and jetcd neither sets nor exposes it. Reaching
     * the channel lets the watch's backoff (at most 4 s) decide instead; if jetcd's insides ever differ, the
     * channel's own backoff applies, which is slower but still correct.
     */
    private static Runnable connectBackoffReset(Client client) {
        try {
            java.lang.reflect.Field f = client.getClass().getDeclaredField("connectionManager");
            f.setAccessible(true);
            Object connections = f.get(client);
            java.lang.reflect.Method channel = connections.getClass().getDeclaredMethod("getChannel");
            channel.setAccessible(true);
            return () -> {
                try {
                    ((io.grpc.ManagedChannel) channel.invoke(connections)).resetConnectBackoff();
                } catch (ReflectiveOperationException | RuntimeException e) {
                    LOG.fine(() -> "registry: could not hurry the reconnection to etcd: " + e);
                }
            };
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning("registry: this jetcd keeps its gRPC channel out of reach (" + e + "); after an outage the "
                    + "node reconnects to etcd on gRPC's backoff, up to two minutes late");
            return () -> { };
        }
    }

    @Override
    public List<Registration> start(Listener listener) {
        return watch.start(listener);
    }

    @Override
    public void put(Registration r) throws AttachRefusedException {
        ByteSequence agentKey = agentKey(r.agent());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            GetResponse current = call(client.getKVClient().get(agentKey));
            Stored old = current.getKvs().isEmpty() ? null : Stored.read(current.getKvs().get(0));
            long lease = settings.lease().isZero() ? 0
                    : call(client.getLeaseClient().grant(Math.max(1, settings.lease().toSeconds()))).getID();
            PutOption onLease = lease == 0 ? PutOption.DEFAULT : PutOption.builder().withLeaseId(lease).build();
            List<Cmp> conditions = new ArrayList<>();
            conditions.add(old == null ? new Cmp(agentKey, Cmp.Op.EQUAL, CmpTarget.version(0))
                    : new Cmp(agentKey, Cmp.Op.EQUAL, CmpTarget.modRevision(old.modRevision())));
            List<Op> writes = new ArrayList<>();
            ObjectNode json = r.toJson().put("lease_id", lease);
            writes.add(Op.put(agentKey, ByteSequence.from(r.toBytes(json)), onLease));
            for (String skill : r.skills()) {
                boolean mine = old != null && old.registration().skills().contains(skill);
                conditions.add(mine ? new Cmp(skillKey(skill), Cmp.Op.EQUAL, CmpTarget.value(bytes(r.agent())))
                        : new Cmp(skillKey(skill), Cmp.Op.EQUAL, CmpTarget.version(0)));
                writes.add(Op.put(skillKey(skill), bytes(r.agent()), onLease));
            }
            if (old != null) {
                for (String skill : old.registration().skills()) {
                    if (!r.skills().contains(skill)) writes.add(Op.delete(skillKey(skill), DeleteOption.DEFAULT));
                }
            }
            TxnResponse done = call(client.getKVClient().txn().If(conditions.toArray(Cmp[]::new))
                    .Then(writes.toArray(Op[]::new)).commit());
            if (done.isSucceeded()) {
                // The old lease holds no key now; revoking it only tidies (it would lapse by itself).
                if (old != null && old.lease() != 0 && old.lease() != lease) {
                    client.getLeaseClient().revoke(old.lease());
                }
                return;
            }
            if (lease != 0) client.getLeaseClient().revoke(lease);
            for (String skill : r.skills()) {
                GetResponse holder = call(client.getKVClient().get(skillKey(skill)));
                if (!holder.getKvs().isEmpty()) {
                    String agent = holder.getKvs().get(0).getValue().toString(StandardCharsets.UTF_8);
                    if (!agent.equals(r.agent())) {
                        throw AttachRefusedException.held("skill " + skill, "agent " + agent + " (registry)");
                    }
                }
            }
            // Only the agent's own key moved (registered again elsewhere meanwhile): read it again.
        }
        throw new AttachRefusedException(409, "held", "agent " + r.agent() + " was registered elsewhere " + ATTEMPTS
                + " times while this registration was written; try again", java.util.Map.of("agent", r.agent()));
    }

    @Override
    public void remove(String agent) throws AttachRefusedException {
        ByteSequence agentKey = agentKey(agent);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            GetResponse current = call(client.getKVClient().get(agentKey));
            if (current.getKvs().isEmpty()) return;
            Stored old = Stored.read(current.getKvs().get(0));
            List<Op> deletes = new ArrayList<>();
            deletes.add(Op.delete(agentKey, DeleteOption.DEFAULT));
            for (String skill : old.registration().skills()) {
                deletes.add(Op.delete(skillKey(skill), DeleteOption.DEFAULT));
            }
            TxnResponse done = call(client.getKVClient().txn()
                    .If(new Cmp(agentKey, Cmp.Op.EQUAL, CmpTarget.modRevision(old.modRevision())))
                    .Then(deletes.toArray(Op[]::new)).commit());
            if (done.isSucceeded()) {
                if (old.lease() != 0) client.getLeaseClient().revoke(old.lease());
                return;
            }
        }
        throw AgentRegistry.unavailable(settings.describe(), "agent " + agent + " kept changing while it was removed");
    }

    @Override
    public Duration renew(String agent) throws AttachRefusedException {
        GetResponse current = call(client.getKVClient().get(agentKey(agent)));
        if (current.getKvs().isEmpty()) throw AgentRegistry.notRegistered(agent);
        Stored stored = Stored.read(current.getKvs().get(0));
        if (stored.lease() == 0) return Duration.ZERO;
        try {
            long ttl = call(client.getLeaseClient().keepAliveOnce(stored.lease())).getTTL();
            if (ttl <= 0) throw AgentRegistry.notRegistered(agent);
            return Duration.ofSeconds(ttl);
        } catch (AttachRefusedException e) {
            // etcd answers "requested lease not found" for a lease that lapsed between the read and the renewal.
            if (e.status() == 503 && e.getMessage().contains("not found")) throw AgentRegistry.notRegistered(agent);
            throw e;
        }
    }

    /** A call to etcd, bounded; any failure is 503 naming the registry and why. */
    private <T> T call(CompletableFuture<T> f) throws AttachRefusedException {
        try {
            return f.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw AgentRegistry.unavailable(settings.describe(), "no answer within " + settings.timeout());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw AgentRegistry.unavailable(settings.describe(), String.valueOf(cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentRegistry.unavailable(settings.describe(), "interrupted");
        }
    }

    /** A registration as etcd holds it, with its key's revision and its lease. */
    record Stored(Registration registration, long modRevision, long lease) {
        static Stored read(KeyValue kv) throws AttachRefusedException {
            try {
                JsonNode json = Registration.JSON.readTree(kv.getValue().getBytes());
                return new Stored(Registration.fromJson(json), kv.getModRevision(),
                        json.path("lease_id").asLong(0));
            } catch (IOException e) {
                // Written by something else under our prefix: refuse to touch it rather than guess.
                throw new AttachRefusedException(409, "held", "the registry holds "
                        + kv.getKey().toString(StandardCharsets.UTF_8) + ", which is not a registration this node "
                        + "can read (" + e.getMessage() + ")", java.util.Map.of("key",
                        kv.getKey().toString(StandardCharsets.UTF_8)));
            }
        }
    }

    private ByteSequence key(String rest) {
        return bytes(settings.prefix() + rest);
    }

    private ByteSequence agentKey(String agent) {
        return key("agents/" + URLEncoder.encode(agent, StandardCharsets.UTF_8));
    }

    private ByteSequence skillKey(String skill) {
        return key("skills/" + skill);
    }

    /** The agent an {@code agents/} key names. */
    static String agentOf(ByteSequence key, ByteSequence agentsPrefix) {
        String k = key.toString(StandardCharsets.UTF_8);
        return URLDecoder.decode(k.substring(agentsPrefix.toString(StandardCharsets.UTF_8).length()),
                StandardCharsets.UTF_8);
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    @Override
    public Status status() {
        return watch.status();
    }

    @Override
    public void close() {
        watch.close();
        client.close();
        LOG.fine("registry: closed " + settings.describe());
    }
}
