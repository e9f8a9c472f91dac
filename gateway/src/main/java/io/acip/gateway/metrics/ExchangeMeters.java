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
    private final BoundedLabel<SkillMeters> edge;
    private final BoundedLabel<SkillMeters> origin;
    private final RecentRefusals refusals = new RecentRefusals();
    private final AtomicInteger active = new AtomicInteger();
    private volatile MeteredExchange.Ended afterEdge;
    private volatile io.acip.gateway.telemetry.Tracing tracing = io.acip.gateway.telemetry.Tracing.OFF;
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

    /** One skill's timers by status class, and its exchanges in flight (for the status page). */
    public record SkillMeters(Timer[] byStatus, AtomicInteger active) {
        /** Exchanges ended, in all. */
        public long count() {
            long n = 0;
            for (Timer t : byStatus) n += t.count();
            return n;
        }

        /** Exchanges ended with a 4xx or 5xx, or cut. */
        public long failed() {
            return byStatus[4].count() + byStatus[5].count() + byStatus[StatusClass.ABORTED].count();
        }

        /** Mean duration in ms, 0 when none ended. */
        public double meanMs() {
            long n = count();
            if (n == 0) return 0;
            double total = 0;
            for (Timer t : byStatus) total += t.totalTime(TimeUnit.MILLISECONDS);
            return total / n;
        }
    }

    private static SkillMeters timers(MeterRegistry registry, String name, String description, String skill) {
        Timer[] byStatus = new Timer[StatusClass.TAGS.length];
        for (int i = 0; i < byStatus.length; i++) {
            byStatus[i] = Timer.builder(name).description(description).tags("skill", skill, "status",
                            StatusClass.TAGS[i]).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
        }
        return new SkillMeters(byStatus, new AtomicInteger());
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
        edge.get(skill).active().incrementAndGet();
        MeteredExchange m = MeteredExchange.observe(exchange, startNanos, skill, identity, edgeEnded);
        return tracing.edge(m, m, skill);
    }

    /** Traces exchanges too (spans at the edge and the far gateway); off by default. */
    public void tracing(io.acip.gateway.telemetry.Tracing t) {
        tracing = t;
    }

    /** What else hears of each ended edge exchange (the access log); nothing by default. */
    public void afterEdge(MeteredExchange.Ended also) {
        afterEdge = also;
    }

    /**
     * Times a far gateway's delivery of {@code exchange} to the origin of {@code skill}, and traces it under the
     * SETUP's {@code traceparent} (null when it carried none).
     */
    public io.acip.ingress.Exchange origin(io.acip.ingress.Exchange exchange, String skill, String traceparent) {
        origin.get(skill).active().incrementAndGet();
        MeteredExchange m = MeteredExchange.observe(exchange, System.nanoTime(), skill, "", originEnded);
        return tracing.far(m, m, skill, traceparent);
    }

    private void edgeEnded(MeteredExchange m) {
        active.decrementAndGet();
        record(edge, m);
        if (m.failure() != null) refusals.add(m.request(), m.failure(), m.identity());
        MeteredExchange.Ended also = afterEdge;
        if (also != null) also.ended(m);
    }

    private void originEnded(MeteredExchange m) {
        record(origin, m);
    }

    private static void record(BoundedLabel<SkillMeters> meters, MeteredExchange m) {
        SkillMeters s = meters.get(m.skill());
        s.active().decrementAndGet();
        s.byStatus()[StatusClass.of(m.status(), m.aborted())].record(m.durationNanos(), TimeUnit.NANOSECONDS);
    }

    /** Every skill timed at the edge, with its meters. */
    public void forEachEdgeSkill(java.util.function.BiConsumer<String, SkillMeters> action) {
        edge.forEach(action);
    }

    /** Every skill timed at this far gateway's origins, with its meters. */
    public void forEachOriginSkill(java.util.function.BiConsumer<String, SkillMeters> action) {
        origin.forEach(action);
    }

    /** The edge's last refusals and failures. */
    public RecentRefusals refusals() {
        return refusals;
    }

    /** Exchanges in flight at the edge now. */
    public int active() {
        return active.get();
    }
}
