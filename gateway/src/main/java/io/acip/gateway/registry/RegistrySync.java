package io.acip.gateway.registry;

import io.acip.gateway.AgentAttachment;
import io.acip.gateway.attach.AgentRegistration;
import io.acip.gateway.attach.AttachRefusedException;
import io.acip.gateway.attach.CheckedAddresses;
import io.acip.gateway.attach.RegistrationException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/**
 * Keeps this node's run-time agents equal to what the registry holds. This node's own writes pass through here to
 * the registry before they take effect, and are remembered, so their echo from an etcd watch changes nothing;
 * changes from elsewhere (another replica, a lapsed lease) are applied one at a time, in the registry's order, on
 * a thread of their own (never the registry client's). Each is checked against this node's
 * {@code admin.attach_allowed} as a registration posted here would be, and reached only at the addresses checked.
 */
public final class RegistrySync implements RegistrationWriter, AgentRegistry.Listener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RegistrySync.class.getName());

    private final AgentRegistry registry;
    private final AgentAttachment agents;
    private final Scope scope;
    private CardRenewal renewal;
    private final Map<String, Registration> applied = new ConcurrentHashMap<>();
    private final ExecutorService applier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "registry-apply");
        t.setDaemon(true);
        return t;
    });

    /** Where this node lets run-time agents point it ({@code admin.attach_allowed}). */
    public interface Scope {
        CheckedAddresses check(AgentRegistration r) throws AttachRefusedException;
    }

    public RegistrySync(AgentRegistry registry, AgentAttachment agents, Scope scope) {
        this.registry = registry;
        this.agents = agents;
        this.scope = scope;
    }

    /** Attaches what the registry holds now, then follows its changes. */
    public void start() throws Exception {
        List<Registration> now = registry.start(this);
        for (Registration r : now) apply(r);
    }

    /** Renews leases of agents whose A2A card answers ({@code registry.card_renewal}). */
    public void renewByCards(org.eclipse.jetty.client.HttpClient http, java.time.Duration lease) {
        renewal = new CardRenewal(this, http, lease);
        renewal.start();
    }

    public AgentRegistry registry() {
        return registry;
    }

    @Override
    public void put(Registration r) throws AttachRefusedException {
        Registration before = applied.put(r.agent(), r); // before the write: its echo may come back first
        try {
            registry.put(r);
        } catch (AttachRefusedException | RuntimeException e) {
            restore(r.agent(), before);
            throw e;
        }
    }

    @Override
    public void remove(String agent) throws AttachRefusedException {
        Registration before = applied.remove(agent);
        try {
            registry.remove(agent);
        } catch (AttachRefusedException | RuntimeException e) {
            restore(agent, before);
            throw e;
        }
    }

    private void restore(String agent, Registration before) {
        if (before == null) applied.remove(agent);
        else applied.put(agent, before);
    }

    @Override
    public void registered(Registration r) {
        applier.execute(() -> apply(r));
    }

    @Override
    public void removed(String agent) {
        applier.execute(() -> {
            if (applied.remove(agent) != null) agents.applyRemoved(agent);
        });
    }

    /** The registrations this node follows (for renewals by card). */
    public List<Registration> registrations() {
        return List.copyOf(applied.values());
    }

    private void apply(Registration r) {
        if (r.sameAs(applied.get(r.agent()))) return;
        try {
            AgentRegistration parsed = r.parse();
            agents.applyRegistered(parsed, r.owner(), scope.check(parsed));
            applied.put(r.agent(), r);
        } catch (RegistrationException | AttachRefusedException | RuntimeException e) {
            LOG.warning("registry: agent " + r.agent() + " (registered by " + r.owner() + " at " + r.node()
                    + ") cannot be attached here: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (renewal != null) renewal.close();
        applier.shutdownNow();
        registry.close();
    }
}
