package io.acip.gateway.metrics;

import io.acip.node.Node;
import io.acip.node.NodeTimings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the ACIP node measures, as meters: {@code acip.session.setup} (sessions this node initiated, by handshake),
 * {@code acip.link.rtt} per neighbour (link PINGs), and the gauges {@code acip.sessions} and {@code acip.links},
 * read from the node's event loop when metrics are scraped (never on the request path).
 */
public final class NodeMeters implements NodeTimings {
    /** Neighbours timed on their own; a node has few, this only bounds a misconfigured fabric. */
    static final int NEIGHBOUR_LIMIT = 100;
    private final Timer setupFull;
    private final Timer setupResumed;
    private final BoundedLabel<Timer> rtt;
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong links = new AtomicLong();

    public NodeMeters(MeterRegistry registry) {
        setupFull = setup(registry, "full");
        setupResumed = setup(registry, "resumed");
        rtt = new BoundedLabel<>(NEIGHBOUR_LIMIT, n -> Timer.builder("acip.link.rtt")
                .description("round trip of link PINGs").tag("neighbour", n).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry));
        registry.gauge("acip.sessions", sessions);
        registry.gauge("acip.links", links);
    }

    private static Timer setup(MeterRegistry registry, String handshake) {
        return Timer.builder("acip.session.setup").description("from opening a session to its SETUP_ACK")
                .tag("handshake", handshake).publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
    }

    @Override
    public void sessionSetup(long nanos, boolean resumed) {
        (resumed ? setupResumed : setupFull).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void linkRtt(String neighbour, long nanos) {
        rtt.get(neighbour).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Reads the gauges from {@code node}; called before each scrape. */
    public void refresh(Node node) {
        try {
            sessions.set(node.activeSessions().get(2, TimeUnit.SECONDS));
            links.set(node.connectedNeighbours().get(2, TimeUnit.SECONDS).size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // A closed or stuck loop: the gauges keep their last values; the scrape still answers.
        }
    }
}
