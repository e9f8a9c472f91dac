package io.acip.gateway;

import io.acip.node.NodeStats;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gateway's counters ({@code gateway.<thing>.<event>}), the node's ({@code acip.*}) and the listeners'
 * ({@code ingress.*}), exported together in the Prometheus text format by the admin listener.
 *
 * <p>CONNECT-UDP at the edge: {@code gateway.udp.request.<h11|h2|h3>}, {@code gateway.udp.flow.<skill|direct>},
 * outcomes {@code gateway.udp.flow.accepted}, {@code gateway.udp.flow.refused.<proxy error type>} and
 * {@code gateway.udp.flow.closed.<why>}; datagrams {@code gateway.udp.datagram.up} (agent to target) and
 * {@code .down}; drops {@code gateway.udp.dropped.<too_big|agent|socket_busy>}. At the far end:
 * {@code gateway.udp.far.session.<opened|refused.no_endpoint>}, {@code gateway.udp.far.datagram.<to_agent|from_agent>},
 * {@code gateway.udp.far.dropped.<too_big|not_connected|socket_busy>}, {@code gateway.udp.far.closed.<why>}.
 */
public final class GatewayMetrics {
    private final NodeStats own = new NodeStats();
    private final NodeStats node;
    private final java.util.List<java.util.function.Supplier<Map<String, Long>>> sources =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public GatewayMetrics(NodeStats node) {
        this.node = node;
    }

    public void inc(String name) {
        own.inc(name);
    }

    public void add(String name, long n) {
        own.add(name, n);
    }

    public long get(String name) {
        return own.get(name) + node.get(name);
    }

    /** Adds counters kept elsewhere (the HTTP listeners' {@code ingress.*}) to what is exported. */
    public void include(java.util.function.Supplier<Map<String, Long>> source) {
        sources.add(source);
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>(node.snapshot());
        out.putAll(own.snapshot());
        for (var s : sources) out.putAll(s.get());
        return out;
    }

    /** Prometheus text exposition: dots become underscores, each counter a {@code _total}. */
    public String prometheus() {
        StringBuilder b = new StringBuilder();
        snapshot().forEach((k, v) -> {
            String name = k.replaceAll("[^a-zA-Z0-9_]", "_") + "_total";
            b.append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(v).append('\n');
        });
        return b.toString();
    }
}
