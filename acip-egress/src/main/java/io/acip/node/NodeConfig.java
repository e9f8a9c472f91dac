package io.acip.node;

import io.acip.link.LinkConfig;
import io.acip.tls.IssuedIdentity;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * One node's settings.
 *
 * @param listen UDP address the node accepts links on; null for a node that only dials
 * @param identity the node certificate ({@code acip://node/<id>}) and key, for mutual TLS on links
 * @param fabricCa the CA links and skill certificates must chain to
 * @param setupTimeout how long an initiator waits for SETUP_ACK
 * @param attemptTimeout how long a node waits on one next hop before failing over to the next
 * @param idleTimeout a session with no packet for this long is reset with {@code timeout}
 * @param maxSessions sessions this node carries at once (initiated, transit and delivered); beyond, no_capacity
 * @param acceptFrom node IDs allowed to link to this node's listener; empty lets any node of the fabric in
 * @param resumptionLifetime how long a resumption ticket is held at either end (docs/acip-v0.md §7.5), so later
 *     sessions between the same initiator and skill instance skip the asymmetric handshake; zero turns it off
 * @param requireAttestation refuse a SETUP for a skill served here whose initiator no node attested (docs/acip-v0.md
 *     §7.6), with {@code authentication_failed}
 * @param eventLoops threads the node's sessions are spread over; 0 for one per available processor
 */
public record NodeConfig(String nodeId, InetSocketAddress listen, IssuedIdentity identity, X509Certificate fabricCa,
                         List<Neighbour> neighbours, LinkConfig link, Duration setupTimeout, Duration attemptTimeout,
                         Duration idleTimeout, int maxSessions, java.util.Set<String> acceptFrom,
                         Duration resumptionLifetime, boolean requireAttestation, int eventLoops) {
    /** How long resumption tickets are held unless configured (docs/acip-v0.md §7.5). */
    public static final Duration DEFAULT_RESUMPTION_LIFETIME = Duration.ofHours(1);

    /** A neighbour this node dials. */
    public record Neighbour(String nodeId, InetSocketAddress address) {
    }

    public NodeConfig {
        neighbours = List.copyOf(neighbours);
        acceptFrom = java.util.Set.copyOf(acceptFrom);
        if (resumptionLifetime.isNegative()) throw new IllegalArgumentException("resumption lifetime is negative");
        if (eventLoops < 0) throw new IllegalArgumentException("event loops is negative");
    }

    /** One event loop per available processor. */
    public NodeConfig(String nodeId, InetSocketAddress listen, IssuedIdentity identity, X509Certificate fabricCa,
                      List<Neighbour> neighbours, LinkConfig link, Duration setupTimeout, Duration attemptTimeout,
                      Duration idleTimeout, int maxSessions, java.util.Set<String> acceptFrom,
                      Duration resumptionLifetime, boolean requireAttestation) {
        this(nodeId, listen, identity, fabricCa, neighbours, link, setupTimeout, attemptTimeout, idleTimeout,
                maxSessions, acceptFrom, resumptionLifetime, requireAttestation, 0);
    }

    /** The event loops this node runs: {@link #eventLoops}, or the available processors for 0. */
    public int loops() {
        return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
    }

    /** Without requiring attestation. */
    public NodeConfig(String nodeId, InetSocketAddress listen, IssuedIdentity identity, X509Certificate fabricCa,
                      List<Neighbour> neighbours, LinkConfig link, Duration setupTimeout, Duration attemptTimeout,
                      Duration idleTimeout, int maxSessions, java.util.Set<String> acceptFrom,
                      Duration resumptionLifetime) {
        this(nodeId, listen, identity, fabricCa, neighbours, link, setupTimeout, attemptTimeout, idleTimeout,
                maxSessions, acceptFrom, resumptionLifetime, false);
    }

    /** With the default resumption lifetime. */
    public NodeConfig(String nodeId, InetSocketAddress listen, IssuedIdentity identity, X509Certificate fabricCa,
                      List<Neighbour> neighbours, LinkConfig link, Duration setupTimeout, Duration attemptTimeout,
                      Duration idleTimeout, int maxSessions, java.util.Set<String> acceptFrom) {
        this(nodeId, listen, identity, fabricCa, neighbours, link, setupTimeout, attemptTimeout, idleTimeout,
                maxSessions, acceptFrom, DEFAULT_RESUMPTION_LIFETIME);
    }

    public static NodeConfig defaults(String nodeId, InetSocketAddress listen, IssuedIdentity identity,
                                      X509Certificate fabricCa, List<Neighbour> neighbours) {
        return new NodeConfig(nodeId, listen, identity, fabricCa, neighbours, LinkConfig.DEFAULT,
                Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofMinutes(5), 100_000, java.util.Set.of());
    }

    public NodeConfig withTimeouts(Duration setup, Duration attempt, Duration idle) {
        return new NodeConfig(nodeId, listen, identity, fabricCa, neighbours, link, setup, attempt, idle, maxSessions,
                acceptFrom, resumptionLifetime, requireAttestation, eventLoops);
    }

    public NodeConfig withLimits(int sessions, java.util.Set<String> acceptedPeers) {
        return new NodeConfig(nodeId, listen, identity, fabricCa, neighbours, link, setupTimeout, attemptTimeout,
                idleTimeout, sessions, acceptedPeers, resumptionLifetime, requireAttestation, eventLoops);
    }

    public NodeConfig withLink(LinkConfig linkConfig) {
        return new NodeConfig(nodeId, listen, identity, fabricCa, neighbours, linkConfig, setupTimeout, attemptTimeout,
                idleTimeout, maxSessions, acceptFrom, resumptionLifetime, requireAttestation, eventLoops);
    }

    /** Zero turns session resumption off: every session pays a full handshake. */
    public NodeConfig withResumptionLifetime(Duration lifetime) {
        return new NodeConfig(nodeId, listen, identity, fabricCa, neighbours, link, setupTimeout, attemptTimeout,
                idleTimeout, maxSessions, acceptFrom, lifetime, requireAttestation, eventLoops);
    }

    /** Whether SETUPs for skills served here must carry a valid initiator attestation (docs/acip-v0.md §7.6). */
    public NodeConfig withRequireAttestation(boolean required) {
        return new NodeConfig(nodeId, listen, identity, fabricCa, neighbours, link, setupTimeout, attemptTimeout,
                idleTimeout, maxSessions, acceptFrom, resumptionLifetime, required, eventLoops);
    }

    /** Spreads sessions over {@code loops} event loops (0: one per available processor). */
    public NodeConfig withEventLoops(int loops) {
        return new NodeConfig(nodeId, listen, identity, fabricCa, neighbours, link, setupTimeout, attemptTimeout,
                idleTimeout, maxSessions, acceptFrom, resumptionLifetime, requireAttestation, loops);
    }
}
