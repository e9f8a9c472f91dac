package io.acip.capsule.masque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Client side: expansion (RFC 9298 §3, RFC 6570 §3.2). */
class ConnectUdpTemplateExpandTest {

    private static final String DEFAULT = "https://example.org/.well-known/masque/udp/{target_host}/{target_port}/";

    @Test
    void rfc9298Http11Example() {
        // RFC 9298 §3.2, Figure 3: target 192.0.2.6:443 with the default template.
        ConnectUdpUri uri = ConnectUdpTemplate.parse(DEFAULT).expand("192.0.2.6", 443);
        assertEquals("https://example.org/.well-known/masque/udp/192.0.2.6/443/", uri.absolute());
        assertEquals("https", uri.scheme());
        assertEquals("example.org", uri.authority());
        assertEquals("/.well-known/masque/udp/192.0.2.6/443/", uri.pathAndQuery());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // RFC 9298 §3: the colons of an IPv6 literal are percent-encoded, once, without brackets
        "2001:db8::42          | /.well-known/masque/udp/2001%3Adb8%3A%3A42/443/",
        "2001:db8::1           | /.well-known/masque/udp/2001%3Adb8%3A%3A1/443/",
        "2001:DB8:0:0:0:0:0:1  | /.well-known/masque/udp/2001%3Adb8%3A%3A1/443/",
        "::1                   | /.well-known/masque/udp/%3A%3A1/443/",
        "::ffff:192.0.2.1      | /.well-known/masque/udp/%3A%3Affff%3A192.0.2.1/443/",
        "Example.COM           | /.well-known/masque/udp/example.com/443/",
        "xn--bcher-kva.example | /.well-known/masque/udp/xn--bcher-kva.example/443/",
        "example.com.          | /.well-known/masque/udp/example.com./443/",
    })
    void hostsAreEncodedOnce(String host, String path) {
        String expanded = ConnectUdpTemplate.parse(DEFAULT).expand(host, 443).pathAndQuery();
        assertEquals(path, expanded);
        assertFalse(expanded.contains("%25"), "never double-encoded");
        assertFalse(expanded.contains("["), "no brackets");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://proxy.example.org:4443/masque?h={target_host}&p={target_port} "
                + "| https://proxy.example.org:4443/masque?h=2001%3Adb8%3A%3A1&p=53",
        "https://proxy.example.org:4443/masque{?target_host,target_port} "
                + "| https://proxy.example.org:4443/masque?target_host=2001%3Adb8%3A%3A1&target_port=53",
        "https://proxy.example/udp?v=1{&target_host,target_port} "
                + "| https://proxy.example/udp?v=1&target_host=2001%3Adb8%3A%3A1&target_port=53",
        "https://proxy.example/udp/{target_host,target_port} | https://proxy.example/udp/2001%3Adb8%3A%3A1,53",
        "https://proxy.example/udp/{target_port}/{target_host} | https://proxy.example/udp/53/2001%3Adb8%3A%3A1",
    })
    void everyAllowedFormExpands(String template, String uri) {
        assertEquals(uri, ConnectUdpTemplate.parse(template).expand("2001:db8::1", 53).absolute());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "fe80::1%eth0   | zone identifier",
        "[2001:db8::1]  | without brackets",
        "''             | empty",
        "exa mple.com   | whitespace",
        "a/b            | '/'",
        "256.0.0.1      | not a valid IPv4 address",
        "1:2:3          | not a valid IPv6 address",
        "-a.example     | starting or ending with '-'",
    })
    void refusesHostsRfc9298DoesNotAllow(String host, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConnectUdpTemplate.parse(DEFAULT).expand(host, 443));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void refusesPortsOutsideOneTo65535() {
        ConnectUdpTemplate t = ConnectUdpTemplate.parse(DEFAULT);
        assertThrows(IllegalArgumentException.class, () -> t.expand("192.0.2.1", 0));
        assertThrows(IllegalArgumentException.class, () -> t.expand("192.0.2.1", 65536));
        assertThrows(IllegalArgumentException.class, () -> t.expand("192.0.2.1", -1));
        assertEquals("/.well-known/masque/udp/192.0.2.1/65535/", t.expand("192.0.2.1", 65535).pathAndQuery());
        assertEquals("/.well-known/masque/udp/192.0.2.1/1/", t.expand("192.0.2.1", 1).pathAndQuery());
    }

    @Test
    void expandsATarget() {
        ConnectUdpTarget target = ConnectUdpTarget.of("2001:db8::1", 443);
        assertEquals("/.well-known/masque/udp/2001%3Adb8%3A%3A1/443/",
                ConnectUdpTemplate.parse(DEFAULT).expand(target).pathAndQuery());
    }
}
