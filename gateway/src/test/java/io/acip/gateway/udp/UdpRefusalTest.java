package io.acip.gateway.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.capsule.proxystatus.ProxyStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UdpRefusalTest {
    @Test
    void dnsErrorCarriesTheRcodeAsAnSfString() throws Exception {
        UdpRefusal r = UdpRefusal.dnsError("NXDOMAIN", "x.example does not exist");
        // RFC 9209 §2.3.2
        assertEquals("gw; error=dns_error; rcode=\"NXDOMAIN\"; details=\"x.example does not exist\"", r.proxyStatus("gw"));
        ProxyStatus parsed = ProxyStatus.parse(r.proxyStatus("gw")).get(0);
        assertEquals("NXDOMAIN", parsed.rcode().orElseThrow());
        assertEquals(502, r.failure().status());
        assertEquals(ProxyErrorType.DNS_ERROR, r.failure().error());
        assertEquals("rcode NXDOMAIN: x.example does not exist", r.failure().detail());
    }

    @Test
    void otherRefusalsHaveNoRcode() {
        UdpRefusal r = UdpRefusal.of(504, ProxyErrorType.DNS_TIMEOUT, "no answer");
        assertEquals("gw; error=dns_timeout; details=\"no answer\"", r.proxyStatus("gw"));
        assertEquals("no answer", r.failure().detail());
    }

    @ParameterizedTest
    @CsvSource({"0,NOERROR", "1,FORMERR", "2,SERVFAIL", "3,NXDOMAIN", "4,NOTIMP", "5,REFUSED", "9,NOTAUTH", "23,RCODE23"})
    void rcodeMnemonicsAreIanas(int code, String mnemonic) {
        assertEquals(mnemonic, TargetResolver.mnemonic(code));
    }
}
