package io.acip.gateway;

import io.acip.gateway.metrics.ExchangeMeters;
import io.acip.gateway.metrics.MeterExport;
import io.acip.gateway.metrics.NodeMeters;
import io.acip.node.Node;
import io.acip.node.NodeStats;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A node's metrics (and the traces bound with them), in one Micrometer registry per node (docs/operations.md, "Metrics"): the labelled meters of the
 * gateway ({@link ExchangeMeters}) and of the node ({@link NodeMeters}), JVM, Netty and Jetty meters, and the
 * counters kept by dotted name ({@code gateway.<thing>.<event>} here, {@code acip.*} in the node, {@code ingress.*} in
 * the listeners), exported with them in the Prometheus text format by the admin listener.
 *
 * <p>CONNECT-UDP at the edge: {@code gateway.udp.request.<h11|h2|h3>}, {@code gateway.udp.flow.<skill|direct>},
 * outcomes {@code gateway.udp.flow.accepted}, {@code gateway.udp.flow.refused.<proxy error type>} and
 * {@code gateway.udp.flow.closed.<why>}; datagrams {@code gateway.udp.datagram.up} (agent to target) and
 * {@code .down}; drops {@code gateway.udp.dropped.<too_big|agent|socket_busy>}. At the far end:
 * {@code gateway.udp.far.session.<opened|refused.no_endpoint>}, {@code gateway.udp.far.datagram.<to_agent|from_agent>},
 * {@code gateway.udp.far.dropped.<too_big|not_connected|socket_busy>}, {@code gateway.udp.far.closed.<why>}.
 */
public final class GatewayMetrics implements AutoCloseable {
    private final NodeStats own = new NodeStats();
    private final NodeStats node;
    private final List<Supplier<Map<String, Long>>> sources = new CopyOnWriteArrayList<>();
    private final MeterExport export = new MeterExport();
    private final ExchangeMeters exchanges = new ExchangeMeters(export.registry());
    private final NodeMeters nodeMeters = new NodeMeters(export.registry());
    private final AtomicInteger flows = new AtomicInteger();
    private volatile Node bound;
    private volatile boolean accessLogged;
    private volatile io.acip.gateway.telemetry.Tracing tracing = io.acip.gateway.telemetry.Tracing.OFF;

    public GatewayMetrics(NodeStats node) {
        this.node = node;
        export.registry().gauge("gateway.udp.flows", flows);
    }

    /** Binds the node's timings and gauges (sessions, links) to this node's registry, and its SETUPs to traces. */
    public void bind(Node n, io.acip.gateway.telemetry.Tracing tracing) {
        bound = n;
        this.tracing = tracing;
        n.timings(tracing.setups(nodeMeters));
        exchanges.tracing(tracing);
    }

    /** Binds the HTTP listeners' thread pool (Jetty's {@code jetty.threads.*} meters). */
    public void bind(org.eclipse.jetty.util.thread.ThreadPool listeners) {
        new io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics(listeners,
                java.util.List.of()).bindTo(export.registry());
    }

    public void inc(String name) {
        own.inc(name);
    }

    public void add(String name, long n) {
        own.add(name, n);
    }

    /** A counter kept by dotted name, here or in the node. */
    public long get(String name) {
        return own.get(name) + node.get(name);
    }

    /** Adds counters kept elsewhere (the HTTP listeners' {@code ingress.*}) to what is exported. */
    public void include(Supplier<Map<String, Long>> source) {
        sources.add(source);
    }

    public ExchangeMeters exchanges() {
        return exchanges;
    }

    /** CONNECT-UDP flows open at the edge: call {@link #flowOpened} and, exactly once each, {@link #flowEnded}. */
    public void flowOpened() {
        flows.incrementAndGet();
    }

    public void flowEnded() {
        flows.decrementAndGet();
    }

    /** Turns the edge's access log on ({@code logging.access}): a line per exchange and per CONNECT-UDP flow. */
    public void accessLog(boolean on) {
        accessLogged = on;
        exchanges.afterEdge(on ? new io.acip.gateway.logs.AccessLog() : null);
    }

    public boolean accessLogged() {
        return accessLogged;
    }

    public MeterRegistry registry() {
        return export.registry();
    }

    /** Every counter kept by dotted name, with its value. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>(node.snapshot());
        out.putAll(own.snapshot());
        for (var s : sources) out.putAll(s.get());
        return out;
    }

    /** The Prometheus text exposition of every meter (what {@code GET /metrics} answers). */
    public String prometheus() {
        Node n = bound;
        if (n != null) nodeMeters.refresh(n);
        return export.scrape(snapshot());
    }

    @Override
    public void close() {
        tracing.close(); // what is still queued goes to the collector first
        export.close();
    }
}
