package io.acip.gateway.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.gateway.GatewayHandler;
import io.acip.gateway.GatewayMetrics;
import io.acip.gateway.bridge.BridgeConfig;
import io.acip.gateway.mapping.SkillMapper;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.TunnelDecision;
import io.acip.node.NodeStats;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A name that answers differently on each lookup (DNS rebinding: public for the check, inward for the connection)
 * must not reach inward: the gateway resolves once, checks every address and connects to a checked one.
 */
class DnsRebindingTest {
    /** First answer 192.0.2.10 (allowed here), every later one loopback (refused). */
    private static final class Rebinding implements NameLookup {
        final AtomicInteger lookups = new AtomicInteger();

        @Override
        public InetAddress[] lookup(String host) throws java.net.UnknownHostException {
            String ip = lookups.getAndIncrement() == 0 ? "192.0.2.10" : "127.0.0.1";
            return new InetAddress[] {InetAddress.getByAddress(host, InetAddress.getByName(ip).getAddress())};
        }
    }

    private static GatewayHandler handler(EgressPolicy egress) {
        return new GatewayHandler(null, new SkillMapper("acip", "/skills/", List.of()),
                BridgeConfig.defaults("gw"), egress, List.of(), ex -> { }, new GatewayMetrics(new NodeStats()), null);
    }

    @Test
    void connectGoesToTheAddressThatWasChecked() {
        Rebinding dns = new Rebinding();
        EgressPolicy egress = new EgressPolicy(true, List.of(), dns);
        TunnelDecision d = handler(egress).onConnect(new ConnectRequest("rebind.example", 443, Fields.EMPTY,
                "HTTP/1.1", new InetSocketAddress("127.0.0.1", 1)));
        InetSocketAddress target = assertInstanceOf(TunnelDecision.Direct.class, d).address();
        assertEquals("192.0.2.10", target.getAddress().getHostAddress());
        assertEquals(443, target.getPort());
        assertEquals(1, dns.lookups.get(), "one lookup for the check and the connection");
    }

    @Test
    void aNameWithOneInwardAddressIsRefused() {
        NameLookup mixed = host -> new InetAddress[] {InetAddress.getByName("192.0.2.10"),
                InetAddress.getByName("169.254.169.254")};
        TunnelDecision d = handler(new EgressPolicy(true, List.of(), mixed)).onConnect(new ConnectRequest(
                "mixed.example", 80, Fields.EMPTY, "HTTP/1.1", new InetSocketAddress("127.0.0.1", 1)));
        TunnelDecision.Refuse r = assertInstanceOf(TunnelDecision.Refuse.class, d);
        assertEquals(403, r.failure().status());
        assertEquals(ProxyErrorType.DESTINATION_IP_PROHIBITED, r.failure().error());
        assertTrue(r.failure().detail().contains("169.254.169.254"), r.failure().detail());
    }
}
