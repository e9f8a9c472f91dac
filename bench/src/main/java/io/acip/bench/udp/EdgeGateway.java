package io.acip.bench.udp;

import io.acip.gateway.Gateway;
import io.acip.gateway.config.GatewayConfig;
import io.acip.tls.FabricCa;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.Map;
import java.util.TreeMap;

/**
 * An edge gateway in this JVM, built from a {@link GatewayConfig} as a YAML file would give it: HTTP/1.1 and h2c on
 * one cleartext port, h2 and HTTP/3 (its UDP twin) on the TLS port, both on 127.0.0.1 with ephemeral ports; direct
 * CONNECT-UDP allowed to 127.0.0.0/8; fabric CA (and the listener's certificate) from a temporary data directory.
 * No links, no agents: every row's flow is a direct one to the echo server. The listener and the direct sockets run
 * on {@code udp.native_transport}.
 */
final class EdgeGateway implements AutoCloseable {
    final Gateway gateway;
    final X509Certificate ca;
    final KeyStore trustStore;
    /** Netty's default-named thread pools the gateway created (node, then UDP relay), by pool id. */
    final int firstPool;
    final int lastPool;
    /**
     * Of those, the pools whose loop already runs once the gateway started: the node's. The UDP relay's loop starts
     * with the first direct flow.
     */
    final Set<Integer> nodePools = new HashSet<>();

    /** @param nativeTransport {@code udp.native_transport}: {@code auto} (epoll where it loads) or {@code nio} */
    EdgeGateway(Path dataDir, String nativeTransport) throws Exception {
        String caDir = dataDir.resolve("ca").toString();
        GatewayConfig config = new GatewayConfig(
                new GatewayConfig.Node("edge", null, dataDir.toString(), caDir, List.of(), List.of(), null, null),
                new GatewayConfig.Http("acip-edge", "127.0.0.1:0", "127.0.0.1:0", null, null, null, null, List.of(),
                        List.of(), List.of(), null),
                new GatewayConfig.Egress(true, List.of("127.0.0.0/8"), null, null),
                List.of(), null, new GatewayConfig.Udp(null, nativeTransport));
        firstPool = nextPoolId();
        gateway = Gateway.start(config);
        lastPool = nextPoolId();
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            Matcher m = CpuGroups.NETTY_DEFAULT.matcher(t.getThreadName());
            if (m.matches()) nodePools.add(Integer.parseInt(m.group(1)));
        }
        ca = FabricCa.load(Path.of(caDir)).certificate();
        trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        trustStore.setCertificateEntry("fabric", ca);
    }

    InetSocketAddress cleartext() {
        return new InetSocketAddress("127.0.0.1", gateway.httpPorts()[0]);
    }

    /** h2 over TCP and HTTP/3 over UDP share this port number. */
    InetSocketAddress tls() {
        return new InetSocketAddress("127.0.0.1", gateway.httpPorts()[1]);
    }

    /** Counters of CONNECT-UDP drops and failures ({@code gateway.udp.dropped.*}, {@code ingress.*udp*dropped*}). */
    Map<String, Long> dropCounters() {
        Map<String, Long> out = new TreeMap<>();
        gateway.metrics().snapshot().forEach((k, v) -> {
            if ((k.contains("udp") && (k.contains("dropped") || k.contains("closed") || k.contains("refused")))
                    || k.contains("failed")) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Override
    public void close() throws Exception {
        gateway.close();
    }

    /**
     * The pool id the next {@link DefaultThreadFactory} gets (this probe takes one): the ids taken in between belong
     * to pools created meanwhile, so the gateway's unnamed event loops can be told from others in the CPU columns.
     */
    static int nextPoolId() {
        String name = new DefaultThreadFactory("probe").newThread(() -> { }).getName(); // probe-<pool>-1
        return Integer.parseInt(name.substring("probe-".length(), name.lastIndexOf('-')));
    }
}
