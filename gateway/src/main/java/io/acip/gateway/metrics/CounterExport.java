package io.acip.gateway.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exports the counters the node and the listeners keep by dotted name ({@code acip.session.opened},
 * {@code ingress.rejected.400}, ...) as Micrometer counters, so they leave in the same exposition as the labelled
 * meters. A family whose last segment varies ({@code acip.reset.sent.<code>}) becomes one counter with a label
 * ({@code acip_reset_sent_total{code="..."}}); every other name keeps its name. Run at scrape time only.
 */
final class CounterExport {
    /** A name prefix whose remaining (single) segment is the value of {@code label}. */
    record Family(String prefix, String label) {
    }

    static final List<Family> FAMILIES = List.of(
            new Family("acip.reset.sent.", "code"),
            new Family("acip.reset.received.", "code"),
            new Family("acip.control.notification.sent.", "code"),
            new Family("acip.control.notification.received.", "code"),
            new Family("gateway.connect.", "outcome"),
            new Family("gateway.udp.request.", "protocol"),
            new Family("gateway.udp.flow.refused.", "error"),
            new Family("gateway.udp.flow.closed.", "reason"),
            new Family("gateway.udp.far.closed.", "reason"),
            new Family("ingress.rejected.", "status"));

    private final MeterRegistry registry;
    /** The value each exported counter reads, updated from the sources before each scrape. */
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

    CounterExport(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Takes the current values; registers a counter for each name seen for the first time. */
    synchronized void update(Map<String, Long> counters) {
        counters.forEach((name, value) -> {
            AtomicLong held = values.get(name);
            if (held == null) {
                held = new AtomicLong();
                values.put(name, held);
                register(name, held);
            }
            held.set(value);
        });
    }

    private void register(String name, AtomicLong held) {
        FunctionCounter.Builder<AtomicLong> b = null;
        for (Family f : FAMILIES) {
            String rest = name.startsWith(f.prefix()) ? name.substring(f.prefix().length()) : null;
            if (rest != null && !rest.isEmpty() && rest.indexOf('.') < 0) {
                b = FunctionCounter.builder(f.prefix().substring(0, f.prefix().length() - 1), held, AtomicLong::get)
                        .tag(f.label(), rest);
                break;
            }
        }
        if (b == null) b = FunctionCounter.builder(name, held, AtomicLong::get);
        try {
            b.register(registry);
        } catch (IllegalArgumentException e) {
            // A name that clashes with another meter's (the exposition refuses it): export it under its full name.
            FunctionCounter.builder(name + ".unlabelled", held, AtomicLong::get).register(registry);
        }
    }
}
