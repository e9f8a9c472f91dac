package io.acip.gateway.telemetry;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.metrics.MeteredExchange;
import io.acip.ingress.Exchange;
import io.acip.ingress.RequestInfo;
import io.acip.node.NodeTimings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Traces across the fabric (OpenTelemetry, exported over OTLP/HTTP): the agent's {@code traceparent} (or a new trace)
 * is the parent of the edge's spans, the edge's session span rides the SETUP's TRACEPARENT TLV, transit and far nodes
 * record the SETUP they answered, the far gateway its delivery and the origin request, and the origin receives a
 * {@code traceparent} of the same trace. Without {@code telemetry.otlp_endpoint} every method returns at once with
 * what it was given: tracing off costs a field read per exchange.
 */
public final class Tracing implements AutoCloseable {
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final AttributeKey<String> SKILL = AttributeKey.stringKey("acip.skill");
    private static final AttributeKey<String> NODE = AttributeKey.stringKey("acip.node");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("acip.outcome");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> PROTOCOL = AttributeKey.stringKey("network.protocol.name");
    /** No traces: every method hands back what it was given. */
    public static final Tracing OFF = new Tracing(null, null);

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;

    private Tracing(OpenTelemetrySdk sdk, Tracer tracer) {
        this.sdk = sdk;
        this.tracer = tracer;
    }

    /** Tracing as {@code telemetry} says for node {@code nodeId}: off without an endpoint. */
    public static Tracing of(GatewayConfig.Telemetry telemetry, String nodeId) {
        if (telemetry.otlpEndpoint() == null) return OFF;
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), "acip-gateway", NODE, nodeId))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(telemetry.samplingRatio())))
                .addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
                        .setEndpoint(telemetry.otlpEndpoint()).build()).setScheduleDelay(200, TimeUnit.MILLISECONDS)
                        .build())
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
        return new Tracing(sdk, sdk.getTracer("io.acip.gateway"));
    }

    public boolean on() {
        return tracer != null;
    }

    /**
     * The edge's spans for an exchange to {@code skill}: the agent's request (a child of its {@code traceparent}) and
     * the ACIP session under it, whose context replaces the request's {@code traceparent} so the SETUP (TRACEPARENT
     * TLV) and the origin carry it on. Both end with the exchange, with its status.
     */
    public Exchange edge(Exchange exchange, MeteredExchange metered, String skill) {
        if (tracer == null) return exchange;
        RequestInfo r = exchange.request();
        Context parent = W3C.extract(Context.root(), r.headers(), FIELDS);
        Span request = tracer.spanBuilder(r.method() + " " + skill).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(SKILL, skill).setAttribute(METHOD, r.method()).setAttribute(PATH, r.path())
                .setAttribute(PROTOCOL, r.protocol()).startSpan();
        Span session = tracer.spanBuilder("acip.session " + skill).setParent(parent.with(request))
                .setSpanKind(SpanKind.CLIENT).setAttribute(SKILL, skill).startSpan();
        exchange.onEnd(() -> {
            ended(session, metered);
            ended(request, metered);
        });
        return exchange.withRequest(r.withHeaders(withTraceparent(r.headers(), session)));
    }

    /**
     * The far gateway's spans for a delivered exchange: the delivery (a child of the SETUP's TRACEPARENT) and the
     * origin request under it, whose context the origin receives as its {@code traceparent}.
     */
    public Exchange far(Exchange exchange, MeteredExchange metered, String skill, String traceparent) {
        if (tracer == null) return exchange;
        RequestInfo r = exchange.request();
        Context parent = traceparent == null ? Context.root()
                : W3C.extract(Context.root(), Fields.of("traceparent", traceparent), FIELDS);
        Span delivery = tracer.spanBuilder("acip.delivery " + skill).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(SKILL, skill).startSpan();
        Span origin = tracer.spanBuilder(r.method() + " origin").setParent(parent.with(delivery))
                .setSpanKind(SpanKind.CLIENT).setAttribute(SKILL, skill).setAttribute(METHOD, r.method())
                .setAttribute(PATH, r.path()).startSpan();
        exchange.onEnd(() -> {
            ended(origin, metered);
            ended(delivery, metered);
        });
        return exchange.withRequest(r.withHeaders(withTraceparent(r.headers(), origin)));
    }

    private static void ended(Span span, MeteredExchange m) {
        if (m.status() > 0) span.setAttribute(STATUS, (long) m.status());
        if (m.aborted() || m.status() >= 500 || m.status() == 0) span.setStatus(StatusCode.ERROR);
        span.end();
    }

    /** What a node reports of the SETUPs it answered, as spans (transit: the SETUP it forwarded). */
    public NodeTimings setups(NodeTimings also) {
        if (tracer == null) return also;
        return new NodeTimings() {
            @Override
            public void sessionSetup(long nanos, boolean resumed) {
                also.sessionSetup(nanos, resumed);
            }

            @Override
            public void linkRtt(String neighbour, long nanos) {
                also.linkRtt(neighbour, nanos);
            }

            @Override
            public boolean tracesSetups() {
                return true;
            }

            @Override
            public void setupAnswered(String skill, String traceparent, long nanos, String outcome) {
                if (traceparent == null) return; // a SETUP outside any trace is not one to start
                Instant end = Instant.now();
                Span s = tracer.spanBuilder("acip.setup " + skill).setSpanKind(SpanKind.SERVER)
                        .setParent(W3C.extract(Context.root(), Fields.of("traceparent", traceparent), FIELDS))
                        .setStartTimestamp(end.minusNanos(nanos)).setAttribute(SKILL, skill)
                        .setAttribute(OUTCOME, outcome).startSpan();
                if (!outcome.equals("established")) s.setStatus(StatusCode.ERROR, outcome);
                s.end(end);
            }
        };
    }

    private static Fields withTraceparent(Fields headers, Span span) {
        List<Field> lines = new ArrayList<>(headers.lines().size() + 1);
        for (Field f : headers.lines()) {
            if (!f.name().equals("traceparent") && !f.name().equals("tracestate")) lines.add(f);
        }
        W3C.inject(Context.root().with(span), lines, (l, k, v) -> l.add(new Field(k, v)));
        return new Fields(lines);
    }

    private static final TextMapGetter<Fields> FIELDS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Fields carrier) {
            return carrier.lines().stream().map(Field::name).toList();
        }

        @Override
        public String get(Fields carrier, String key) {
            return carrier == null ? null : carrier.first(key).orElse(null);
        }
    };


    /** Exports what is still queued, then stops. */
    @Override
    public void close() {
        if (sdk != null) sdk.shutdown().join(5, TimeUnit.SECONDS);
    }
}
