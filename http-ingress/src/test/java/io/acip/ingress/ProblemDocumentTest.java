package io.acip.ingress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acip.capsule.proxystatus.ProxyErrorType;
import org.junit.jupiter.api.Test;

/** The exact bytes of an error answer: RFC 9209 Proxy-Status and RFC 9457 problem details. */
class ProblemDocumentTest {

    @Test
    void proxyStatusNamesTheGatewayTheErrorAndTheDetails() {
        HttpFailure f = new HttpFailure(403, ProxyErrorType.DESTINATION_IP_PROHIBITED, "10.0.0.1 \"private\"");
        assertEquals("gw; error=destination_ip_prohibited; details=\"10.0.0.1 \\\"private\\\"\"",
                ProblemDocument.proxyStatus("gw", f));
    }

    @Test
    void dnsErrorCarriesTheRcodeAsAnSfString() throws Exception {
        HttpFailure f = HttpFailure.dnsError("NXDOMAIN", "x.example does not exist"); // RFC 9209 §2.3.2
        assertEquals(502, f.status());
        assertEquals("gw; error=dns_error; rcode=\"NXDOMAIN\"; details=\"x.example does not exist\"",
                ProblemDocument.proxyStatus("gw", f));
        assertEquals("NXDOMAIN", io.acip.capsule.proxystatus.ProxyStatus.parse(ProblemDocument.proxyStatus("gw", f))
                .get(0).rcode().orElseThrow());
    }

    @Test
    void problemDocumentHasTheFourRfc9457Members() {
        HttpFailure f = new HttpFailure(504, ProxyErrorType.DNS_TIMEOUT, "no answer for a.example");
        assertEquals("{\"type\":\"https://acip.dev/problems/dns_timeout\",\"title\":\"Dns timeout\","
                + "\"status\":504,\"detail\":\"no answer for a.example\"}", ProblemDocument.json(f, 504));
    }

    @Test
    void jsonEscapesWhatRfc8259Requires() {
        assertEquals("q\\\"b\\\\n\\nr\\rt\\tc\\u0001l\\u2028e é",
                ProblemDocument.escape("q\"b\\n\nr\rt\tc\u0001l\u2028e é"));
    }

    @Test
    void aStatusThatIsNoErrorBecomes502() {
        assertEquals(502, ProblemDocument.status(new HttpFailure(200, ProxyErrorType.PROXY_INTERNAL_ERROR, "x")));
        assertEquals(429, ProblemDocument.status(new HttpFailure(429, ProxyErrorType.HTTP_REQUEST_ERROR, "x")));
    }
}
