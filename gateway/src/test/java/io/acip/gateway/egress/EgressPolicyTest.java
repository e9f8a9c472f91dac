package io.acip.gateway.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EgressPolicyTest {
    private static final EgressPolicy OPEN = new EgressPolicy(true, List.of(Cidr.parse("10.1.0.0/16")));

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, false", "127.255.0.1, false", "::1, false", "169.254.169.254, false", "fd00:ec2::254, false",
        "10.0.0.1, false", "172.16.5.5, false", "192.168.1.1, false", "100.64.0.1, false", "fc00::1, false",
        "fe80::1, false", "224.0.0.1, false", "0.0.0.0, false", "::, false", "::ffff:127.0.0.1, false",
        "::ffff:8.8.8.8, true", "8.8.8.8, true", "2001:4860:4860::8888, true", "10.1.2.3, true",
    })
    void refusesInwardRangesUnlessAllowed(String ip, boolean allowed) throws Exception {
        assertEquals(allowed, OPEN.refusal(InetAddress.getByName(ip)).isEmpty(), ip);
    }

    @Test
    void directEgressIsOffByDefault() throws Exception {
        assertTrue(EgressPolicy.none().refusal(InetAddress.getByName("8.8.8.8")).orElseThrow().contains("disabled"));
    }

    @Test
    void cidrParsing() throws Exception {
        assertTrue(Cidr.parse("192.168.0.0/16").contains(InetAddress.getByName("192.168.255.1")));
        assertTrue(!Cidr.parse("192.168.0.0/17").contains(InetAddress.getByName("192.168.128.1")));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com/8"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
    }
}
