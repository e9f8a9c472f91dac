package io.acip.bench.udp;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;

/** What every row shares: the echo server and the edge gateway in front of it, started once per run. */
public final class UdpBench implements AutoCloseable {
    private final UdpEchoServer echo;
    private final EdgeGateway gateway;

    private UdpBench(UdpEchoServer echo, EdgeGateway gateway) {
        this.echo = echo;
        this.gateway = gateway;
    }

    /**
     * @param maxPayload the largest payload of the run; {@code dataDir} holds the gateway's CA
     * @param nativeTransport the gateway's {@code udp.native_transport}
     */
    public static UdpBench start(Path dataDir, int maxPayload, String nativeTransport) throws Exception {
        UdpEchoServer echo = new UdpEchoServer(maxPayload);
        try {
            return new UdpBench(echo, new EdgeGateway(dataDir, nativeTransport));
        } catch (Exception | Error e) {
            echo.close();
            throw e;
        }
    }

    /** One row's figures: the window's counters over the measured time, kernel UDP drops, CPU per role. */
    public record Result(String row, int payload, EchoWindow.Counters c, long udpDrops, CpuGroups.Usage cpu) {
        public double packetsPerSecond() {
            return c.received() / c.seconds();
        }

        /** Payload bits echoed per second, one way (the same again went the other way). */
        public double mbitsOneWay() {
            return packetsPerSecond() * payload * 8 / 1e6;
        }

        /** Lost as a share of what was resolved in the window (echoed or timed out), in %. */
        public double lossPercent() {
            long resolved = c.received() + c.lost();
            return resolved == 0 ? 0 : 100.0 * c.lost() / resolved;
        }
    }

    public InetSocketAddress echo() {
        return echo.address();
    }

    /** The TLS port: h2 over TCP, HTTP/3 over UDP. */
    public InetSocketAddress gatewayTls() {
        return gateway.tls();
    }

    /** The cleartext port: HTTP/1.1 and h2c. */
    public InetSocketAddress gatewayCleartext() {
        return gateway.cleartext();
    }

    public X509Certificate ca() {
        return gateway.ca;
    }

    public KeyStore trustStore() {
        return gateway.trustStore;
    }

    public Map<String, Long> gatewayDrops() {
        return gateway.dropCounters();
    }

    /** Starts a CPU window now. */
    public CpuGroups cpu() {
        return CpuGroups.start(gateway);
    }

    @Override
    public void close() throws Exception {
        gateway.close();
        echo.close();
    }
}
