package io.acip.gateway.registry;

import io.acip.gateway.attach.AttachRefusedException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where run-time registrations live beyond one process: the file store under {@code node.data_dir}
 * ({@link FileRegistry}) or etcd shared by edge replicas ({@link EtcdRegistry}). Writes are refused with the status
 * the admin listener answers: {@code 409} for a skill another agent holds, {@code 503} while the registry cannot be
 * reached; reads never block on it (a node serves what it last saw).
 */
public interface AgentRegistry extends AutoCloseable {

    /** Changes made elsewhere (another replica, a lapsed lease), in the order the registry made them. */
    interface Listener {
        void registered(Registration r);

        void removed(String agent);
    }

    /**
     * What the registry holds now; from then on every change reaches {@code listener} until {@link #close}.
     * Fails only when the registry cannot be used at all (a file store's folder cannot be created); an unreachable
     * etcd starts empty and stale, and catches up once it answers.
     */
    List<Registration> start(Listener listener) throws Exception;

    /** Writes {@code r}, replacing the agent's previous registration; claims its skills atomically. */
    void put(Registration r) throws AttachRefusedException;

    /** Removes the agent's registration and releases its skills; nothing when there is none. */
    void remove(String agent) throws AttachRefusedException;

    /**
     * Renews the agent's lease, returning how long it now lives ({@link Duration#ZERO} when registrations have no
     * lease here); {@code 404} when the registry holds no such agent (never registered, or its lease lapsed).
     */
    Duration renew(String agent) throws AttachRefusedException;

    /** For {@code /healthz}: which backend, and whether what this node serves may be behind the registry. */
    Status status();

    @Override
    void close();

    /**
     * @param backend {@code file} or {@code etcd}
     * @param staleSince when the registry stopped answering (null while it answers)
     * @param revision the last registry revision this node applied (0 where there is none)
     * @param detail why it is stale (empty when not)
     */
    record Status(String backend, Instant staleSince, long revision, String detail) {
        public boolean stale() {
            return staleSince != null;
        }
    }

    /** 503: the registry cannot take writes now; this node keeps serving what it has. */
    static AttachRefusedException unavailable(String registry, String why) {
        return new AttachRefusedException(503, "registry-unavailable", "the registry (" + registry + ") cannot be "
                + "reached: " + why + "; registrations cannot change until it answers, and every node keeps serving "
                + "the agents it last saw", Map.of("registry", registry));
    }

    /** 404: no registration of {@code agent}. */
    static AttachRefusedException notRegistered(String agent) {
        return new AttachRefusedException(404, "not-attached", "no agent " + agent + " is registered (never, or its "
                + "lease lapsed)", Map.of("agent", agent));
    }
}
