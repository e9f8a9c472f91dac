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

    /**
     * IPv6 forms that carry an IPv4 address are judged by that address, one row per form: a translator or relay on
     * the way would deliver them to it. Each row embeds loopback 127.0.0.1 (refused) or 8.8.8.8 (allowed).
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "IPv4-mapped ::ffff:0:0/96, ::ffff:7f00:1, false",
        "IPv4-mapped ::ffff:0:0/96, ::ffff:808:808, true",
        "IPv4-compatible ::/96, ::7f00:1, false",
        "IPv4-compatible ::/96, ::a00:1, false",
        "IPv4-compatible ::/96, ::808:808, true",
        "SIIT ::ffff:0:0:0/96, ::ffff:0:7f00:1, false",
        "SIIT ::ffff:0:0:0/96, ::ffff:0:808:808, true",
        "NAT64 64:ff9b::/96, 64:ff9b::7f00:1, false",
        "NAT64 64:ff9b::/96, 64:ff9b::a9fe:a9fe, false",
        "NAT64 64:ff9b::/96, 64:ff9b::808:808, true",
        "local NAT64 64:ff9b:1::/48 (RFC 6052 /48 layout), 64:ff9b:1:7f00:0:100::, false",
        "local NAT64 64:ff9b:1::/48 (RFC 6052 /96 layout), 64:ff9b:1::7f00:1, false",
        "6to4 2002::/16, 2002:7f00:1::1, false",
        "6to4 2002::/16, 2002:c0a8:101::1, false",
        "6to4 2002::/16, 2002:808:808::1, true",
        "Teredo 2001::/32 (client inverted), 2001:0:808:808:0:0:80ff:fffe, false",
        "Teredo 2001::/32 (client inverted), 2001:0:808:808:0:0:f7f7:f7f7, true",
        "Teredo 2001::/32 (server), 2001:0:7f00:1:0:0:f7f7:f7f7, false",
        "site-local fec0::/10, fec0::1, false",
        "site-local fec0::/10, feff::1, false",
    })
    void embeddedIpv4IsChecked(String form, String ip, boolean allowed) throws Exception {
        assertEquals(allowed, OPEN.refusal(InetAddress.getByName(ip)).isEmpty(), form + " " + ip);
    }

    @Test
    void refusalsNameTheEmbeddedAddressAndItsRange() throws Exception {
        assertTrue(OPEN.refusal(InetAddress.getByName("::1")).orElseThrow().contains("loopback"));
        String nat64 = OPEN.refusal(InetAddress.getByName("64:ff9b::7f00:1")).orElseThrow();
        assertTrue(nat64.contains("127.0.0.1") && nat64.contains("loopback"), nat64);
        assertTrue(OPEN.refusal(InetAddress.getByName("fec0::1")).orElseThrow().contains("site-local"));
        // An allow range for the IPv4 address covers its embedded forms too.
        assertTrue(OPEN.refusal(InetAddress.getByName("64:ff9b::a01:203")).isEmpty());
    }

    @Test
    void directEgressIsOffByDefault() throws Exception {
        assertTrue(EgressPolicy.none().refusal(InetAddress.getByName("8.8.8.8")).orElseThrow().contains("disabled"));
    }

    @Test
    void rangesAreWrittenAsConfigured() {
        for (String r : List.of("::1/128", "::/128", "fd00:ec2::254/128", "64:ff9b:1::/48", "2001:db8::1:0:0:1/128",
                "1:0:1::/64", "10.0.0.0/8")) {
            assertEquals(r, Cidr.parse(r).text());
        }
    }

    @Test
    void cidrParsing() throws Exception {
        assertTrue(Cidr.parse("192.168.0.0/16").contains(InetAddress.getByName("192.168.255.1")));
        assertTrue(!Cidr.parse("192.168.0.0/17").contains(InetAddress.getByName("192.168.128.1")));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com/8"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
    }
}
