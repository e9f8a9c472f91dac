package io.acip.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP exchanges: {@code gateway.request} counted by protocol and outcome at the edge; {@code gateway.request.duration}
 * (edge: from the request's arrival to the end of its response) and {@code gateway.origin.duration} (far gateway: the
 * origin's part) timed per skill and status class, with histograms; {@code gateway.exchanges.active} in flight at the
 * edge. Every meter is created once per label set and looked up without allocating.
 */
public final class ExchangeMeters {
    /** What became of a request at the edge. */
    public enum Outcome {
        /** mapped to a skill (policy decides next: gateway.policy.*) */
        SKILL,
        /** forwarded direct (absolute-form to a host that is not a skill) */
        DIRECT,
        /** direct egress refused (not allowed, does not resolve, forbidden address) */
        REFUSED,
        /** no skill mapped and not a proxy request */
        UNMAPPED,
        /** the caller's credentials were refused */
        UNAUTHENTICATED;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    /** Label value of exchanges that went direct rather than to a skill. */
    public static final String DIRECT = "(direct)";
    /** Distinct skills timed on their own; the rest share {@link BoundedLabel#OTHER}. */
    static final int SKILL_LIMIT = 100;
    private static final String[] PROTOCOLS = {"h11", "h2", "h3", "other"};

    private final Counter[][] requests = new Counter[PROTOCOLS.length][Outcome.values().length];
    private final BoundedLabel<Timer[]> edge;
    private final BoundedLabel<Timer[]> origin;
    private final AtomicInteger active = new AtomicInteger();
    private volatile MeteredExchange.Ended afterEdge;
    private final MeteredExchange.Ended edgeEnded = this::edgeEnded;
    private final MeteredExchange.Ended originEnded = this::originEnded;

    public ExchangeMeters(MeterRegistry registry) {
        for (int p = 0; p < PROTOCOLS.length; p++) {
            for (Outcome o : Outcome.values()) {
                requests[p][o.ordinal()] = Counter.builder("gateway.request").description("HTTP requests at the edge")
                        .tags("protocol", PROTOCOLS[p], "outcome", o.tag).register(registry);
            }
        }
        edge = new BoundedLabel<>(SKILL_LIMIT, skill -> timers(registry, "gateway.request.duration",
                "edge: from a request's arrival to the end of its response", skill));
        origin = new BoundedLabel<>(SKILL_LIMIT, skill -> timers(registry, "gateway.origin.duration",
                "far gateway: from a delivered request to the end of the origin's response", skill));
        registry.gauge("gateway.exchanges.active", active);
    }

    private static Timer[] timers(MeterRegistry registry, String name, String description, String skill) {
        Timer[] byStatus = new Timer[StatusClass.TAGS.length];
        for (int i = 0; i < byStatus.length; i++) {
            byStatus[i] = Timer.builder(name).description(description).tags("skill", skill, "status",
                            StatusClass.TAGS[i]).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
        }
        return byStatus;
    }

    /** Index of a {@code RequestInfo.protocol()} value; no string is built. */
    private static int protocol(String p) {
        return switch (p) {
            case "HTTP/1.1", "HTTP/1.0" -> 0;
            case "HTTP/2" -> 1;
            case "HTTP/3" -> 2;
            default -> 3;
        };
    }

    public void count(String protocol, Outcome outcome) {
        requests[protocol(protocol)][outcome.ordinal()].increment();
    }

    /** Times an edge exchange for {@code skill} (or {@link #DIRECT}) from {@code startNanos} until it ends. */
    public io.acip.ingress.Exchange edge(io.acip.ingress.Exchange exchange, long startNanos, String skill,
                                         String identity) {
        active.incrementAndGet();
        return MeteredExchange.observe(exchange, startNanos, skill, identity, edgeEnded);
    }

    /** What else hears of each ended edge exchange (the access log); nothing by default. */
    public void afterEdge(MeteredExchange.Ended also) {
        afterEdge = also;
    }

    /** Times a far gateway's delivery of {@code exchange} to the origin of {@code skill}. */
    public io.acip.ingress.Exchange origin(io.acip.ingress.Exchange exchange, String skill) {
        return MeteredExchange.observe(exchange, System.nanoTime(), skill, "", originEnded);
    }

    private void edgeEnded(MeteredExchange m) {
        active.decrementAndGet();
        record(edge, m);
        MeteredExchange.Ended also = afterEdge;
        if (also != null) also.ended(m);
    }

    private void originEnded(MeteredExchange m) {
        record(origin, m);
    }

    private static void record(BoundedLabel<Timer[]> timers, MeteredExchange m) {
        timers.get(m.skill())[StatusClass.of(m.status(), m.aborted())].record(m.durationNanos(), TimeUnit.NANOSECONDS);
    }

    /** Exchanges in flight at the edge now. */
    public int active() {
        return active.get();
    }
}
