package io.acip.capsule.masque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.CodecException;
import io.acip.capsule.masque.ConnectUdpTarget.HostKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** IP literal syntax (RFC 3986 §3.2.2) and canonical text (RFC 5952), parsed without any lookup. */
class TargetHostTest {

    @ParameterizedTest
    @CsvSource({
        "2001:db8::1, 2001:db8::1",
        "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",  // §4.1 no leading zeros, §4.3 lowercase
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",              // §4.2.3 first of two equal runs
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",                    // §4.2.3 the longest run
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",          // §4.2.2 a single zero group stays
        "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
        "::, ::",
        "::1, ::1",
        "1::, 1::",
        "::ffff:192.0.2.1, ::ffff:192.0.2.1",                   // §5 IPv4-mapped keeps the dotted quad
        "::FFFF:c000:0201, ::ffff:192.0.2.1",
        "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
        "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304",
        "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    })
    void ipv6CanonicalForm(String in, String canonical) throws CodecException {
        assertEquals(new TargetHost(canonical, HostKind.IPV6), TargetHost.parse(in));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "::g", ":::", "1:::2", ":1::2", "1::2::3", "1:2:3:4:5:6:7:8::",
        "::1.2.3", "1.2.3.4::", "::256.1.1.1", "::01.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:1", ":", "1:",
        "::\u0661", "::ffff:1.2.3.4.5",
    })
    void notIpv6(String s) {
        assertNull(TargetHost.parseIpv6(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "192.0.2.1", "10.0.0.10"})
    void ipv4(String s) throws CodecException {
        assertEquals(new TargetHost(s, HostKind.IPV4), TargetHost.parse(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.0.0.0", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.", ".1.2.3", "1..2.3", "1.2.3.0400"})
    void notIpv4(String s) {
        assertNull(TargetHost.parseIpv4(s));
    }

    @Test
    void dnsNameLimits() throws CodecException {
        String label63 = "a".repeat(63);
        assertEquals(HostKind.DNS_NAME, TargetHost.parse(label63 + ".example").kind());
        String name253 = (label63 + ".").repeat(3) + "a".repeat(61);
        assertEquals(253, name253.length());
        assertEquals(HostKind.DNS_NAME, TargetHost.parse(name253).kind());
        assertEquals(HostKind.DNS_NAME, TargetHost.parse(name253 + ".").kind()); // the root dot does not count
    }

    @ParameterizedTest
    @CsvSource({
        "64, longer than 63",
        "254, longer than 253",
    })
    void dnsNamesOverTheLimits(int length, String reason) {
        String name = length == 64 ? "a".repeat(64) + ".example" : ("a".repeat(63) + ".").repeat(3) + "a".repeat(62);
        CodecException e = assertThrows(CodecException.class, () -> TargetHost.parse(name));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
