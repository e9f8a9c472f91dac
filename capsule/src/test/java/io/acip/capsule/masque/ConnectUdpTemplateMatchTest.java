package io.acip.capsule.masque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.masque.ConnectUdpTarget.HostKind;
import io.acip.capsule.proxystatus.ProxyErrorType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Proxy side: a request's :path against a template (RFC 9298 §3, §3.1). One row per rule; the last column is the
 * target ({@code host kind port}) or the status and a fragment of the details.
 */
class ConnectUdpTemplateMatchTest {

    private static final Map<String, ConnectUdpTemplate> TEMPLATES = Map.of(
            "default", ConnectUdpTemplate.defaultFor("proxy.example"),
            "query", ConnectUdpTemplate.parse("https://proxy.example/masque?h={target_host}&p={target_port}"),
            "form", ConnectUdpTemplate.parse("https://proxy.example/masque{?target_host,target_port}"),
            "continued", ConnectUdpTemplate.parse("https://proxy.example/masque?v=1{&target_host,target_port}"),
            "comma", ConnectUdpTemplate.parse("https://proxy.example/udp/{target_host,target_port}"),
            "sequence", ConnectUdpTemplate.parse("https://proxy.example/m?{target_host}=on&p={target_port}"));

    @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // targets of each kind
        "default | /.well-known/masque/udp/192.0.2.6/443/                      | 192.0.2.6 IPV4 443",
        "default | /.well-known/masque/udp/example.com/443/                    | example.com DNS_NAME 443",
        "default | /.well-known/masque/udp/EXAMPLE.Com/443/                    | example.com DNS_NAME 443",
        "default | /.well-known/masque/udp/example.com./443/                   | example.com. DNS_NAME 443",
        "default | /.well-known/masque/udp/localhost/53/                       | localhost DNS_NAME 53",
        "default | /.well-known/masque/udp/xn--bcher-kva.example/53/           | xn--bcher-kva.example DNS_NAME 53",
        // RFC 9298 §3: IPv6 with percent-encoded colons (either hex case), held in RFC 5952 form
        "default | /.well-known/masque/udp/2001%3Adb8%3A%3A1/443/              | 2001:db8::1 IPV6 443",
        "default | /.well-known/masque/udp/2001%3adb8%3a%3a1/443/              | 2001:db8::1 IPV6 443",
        "default | /.well-known/masque/udp/2001%3ADB8%3A0%3A0%3A0%3A0%3A0%3A1/443/ | 2001:db8::1 IPV6 443",
        "default | /.well-known/masque/udp/%3A%3A1/443/                        | ::1 IPV6 443",
        "default | /.well-known/masque/udp/%3A%3Affff%3A192.0.2.1/53/          | ::ffff:192.0.2.1 IPV6 53",
        // an unreserved character may arrive encoded; it decodes like any other
        "default | /.well-known/masque/udp/%65xample.com/443/                  | example.com DNS_NAME 443",
        // ports: 1..65535, digits only (RFC 9298 §3)
        "default | /.well-known/masque/udp/192.0.2.6/1/                        | 192.0.2.6 IPV4 1",
        "default | /.well-known/masque/udp/192.0.2.6/65535/                    | 192.0.2.6 IPV4 65535",
        "default | /.well-known/masque/udp/192.0.2.6/0443/                     | 192.0.2.6 IPV4 443",
        "default | /.well-known/masque/udp/192.0.2.6/0/                        | 400 out of range 1..65535",
        "default | /.well-known/masque/udp/192.0.2.6/65536/                    | 400 out of range 1..65535",
        "default | /.well-known/masque/udp/192.0.2.6/99999999999999999999/     | 400 out of range 1..65535",
        "default | /.well-known/masque/udp/192.0.2.6//                         | 400 target_port is empty",
        "default | /.well-known/masque/udp/192.0.2.6/+80/                      | 400 target_port contains '+'",
        "default | /.well-known/masque/udp/192.0.2.6/%2B80/                    | 400 decimal digits only",
        "default | /.well-known/masque/udp/192.0.2.6/-1/                       | 400 decimal digits only",
        "default | /.well-known/masque/udp/192.0.2.6/%2080/                    | 400 decimal digits only",
        "default | /.well-known/masque/udp/192.0.2.6/80%20/                    | 400 decimal digits only",
        "default | /.well-known/masque/udp/192.0.2.6/0x50/                     | 400 decimal digits only",
        "default | /.well-known/masque/udp/192.0.2.6/%D9%A0/                   | 400 decimal digits only",
        // hosts
        "default | /.well-known/masque/udp//443/                               | 400 target_host is empty",
        "default | /.well-known/masque/udp/fe80%3A%3A1%25eth0/443/             | 400 zone identifier",
        "default | /.well-known/masque/udp/2001%253Adb8%253A%253A1/443/        | 400 percent-encoded twice",
        "default | /.well-known/masque/udp/2001:db8::1/443/                    | 400 contains ':', which must be percent-encoded",
        "default | /.well-known/masque/udp/%5B2001%3Adb8%3A%3A1%5D/443/        | 400 without brackets",
        "default | /.well-known/masque/udp/[::1]/443/                          | 400 contains '['",
        "default | /.well-known/masque/udp/a%2Fb/443/                          | 400 contains '/'",
        "default | /.well-known/masque/udp/%20example.com/443/                 | 400 whitespace",
        "default | /.well-known/masque/udp/example.com%20/443/                 | 400 whitespace",
        "default | /.well-known/masque/udp/example.com%0D%0A/443/              | 400 whitespace",
        "default | /.well-known/masque/udp/my_host.example/443/                | 400 contains '_'",
        "default | /.well-known/masque/udp/a..b/443/                           | 400 empty DNS label",
        "default | /.well-known/masque/udp/-a.example/443/                     | 400 starting or ending with '-'",
        "default | /.well-known/masque/udp/256.0.0.1/443/                      | 400 not a valid IPv4 address",
        "default | /.well-known/masque/udp/01.2.3.4/443/                       | 400 not a valid IPv4 address",
        "default | /.well-known/masque/udp/127.1/443/                          | 400 not a valid IPv4 address",
        "default | /.well-known/masque/udp/2130706433/443/                     | 400 not a valid IPv4 address",
        "default | /.well-known/masque/udp/0x7f000001/443/                     | 400 numeric label",
        "default | /.well-known/masque/udp/example.123/443/                    | 400 numeric label",
        "default | /.well-known/masque/udp/1%3A2%3A3/443/                      | 400 not a valid IPv6 address",
        "default | /.well-known/masque/udp/caf%C3%A9.example/443/              | 400 U+00E9",
        "default | /.well-known/masque/udp/%FF/443/                            | 400 not UTF-8",
        "default | /.well-known/masque/udp/%4/443/                             | 400 not followed by two hex digits",
        "default | /.well-known/masque/udp/%zz/443/                            | 400 not followed by two hex digits",
        "default | /.well-known/masque/udp/a!b/443/                            | 400 contains '!'",
        // literal parts must match exactly: another resource
        "default | /.well-known/masque/tcp/192.0.2.6/443/                      | 404 does not match",
        "default | /.well-known/masque/udp/192.0.2.6/443                       | 404 does not match",
        "default | /.well-known/masque/udp/192.0.2.6/443/x                     | 404 does not match",
        "default | /.well-known/masque/udp/a/b/443/                            | 404 does not match",
        "default | /.WELL-KNOWN/masque/udp/192.0.2.6/443/                      | 404 does not match",
        "default | /                                                           | 404 does not match",
        // request form
        "default | https://proxy.example/.well-known/masque/udp/192.0.2.6/443/ | 400 does not start with '/'",
        "default | ``                                                          | 400 does not start with '/'",
        "default | *                                                           | 400 does not start with '/'",
        "default | /.well-known/masque/udp/192.0.2.6/443/#f                    | 400 fragment",
        // a query the template does not name is ignored
        "default | /.well-known/masque/udp/192.0.2.6/443/?trace=1              | 192.0.2.6 IPV4 443",
        // variables in the query: any order, extras ignored, each exactly once
        "query   | /masque?h=192.0.2.6&p=443                                   | 192.0.2.6 IPV4 443",
        "query   | /masque?p=443&h=192.0.2.6                                   | 192.0.2.6 IPV4 443",
        "query   | /masque?h=192.0.2.6&p=443&token=abc                         | 192.0.2.6 IPV4 443",
        "query   | /masque?&h=192.0.2.6&&p=443&                                | 192.0.2.6 IPV4 443",
        "query   | /masque?h=%3A%3A1&p=1234                                    | ::1 IPV6 1234",
        "query   | /masque?h=localhost&p=1337                                  | localhost DNS_NAME 1337",
        "query   | /masque?h=192.0.2.6                                         | 400 query parameter 'p' is missing",
        "query   | /masque                                                     | 400 query parameter 'h' is missing",
        "query   | /masque?H=192.0.2.6&p=443                                   | 400 query parameter 'h' is missing",
        "query   | /masque?h=a.example&h=b.example&p=443                       | 400 query parameter 'h' is repeated",
        "query   | /masque?h=&p=1234                                           | 400 target_host is empty",
        "query   | /masque?h=localhost&p=foobar                                | 400 decimal digits only",
        "query   | /masque?h=a+b&p=1                                           | 400 contains '+'",
        "query   | /masque?h=192.0.2.6&p=443=1                                 | 400 contains '='",
        "query   | /masque?h=fe80%3A%3A1%25eth0&p=443                          | 400 zone identifier",
        "query   | /masque/?h=192.0.2.6&p=443                                  | 404 does not match",
        "query   | /masqueX?h=192.0.2.6&p=443                                  | 404 does not match",
        "form    | /masque?target_host=192.0.2.6&target_port=443               | 192.0.2.6 IPV4 443",
        "form    | /masque?target_port=443&target_host=2001%3Adb8%3A%3A1       | 2001:db8::1 IPV6 443",
        "form    | /masque?target_host=192.0.2.6                               | 400 'target_port' is missing",
        "continued | /masque?target_host=192.0.2.6&v=1&target_port=443         | 192.0.2.6 IPV4 443",
        "continued | /masque?v=2&target_host=192.0.2.6&target_port=443         | 400 query parameter 'v' does not match",
        "continued | /masque?target_host=192.0.2.6&target_port=443             | 400 query parameter 'v' is missing",
        // several variables in one expression
        "comma   | /udp/2001%3Adb8%3A%3A1,443                                  | 2001:db8::1 IPV6 443",
        "comma   | /udp/192.0.2.6%2C443                                        | 404 does not match",
        // a query that is not name=value parameters is matched exactly
        "sequence | /m?example.com=on&p=443                                    | example.com DNS_NAME 443",
        "sequence | /m?p=443&example.com=on                                    | 400 query does not match",
    })
    void match(String template, String path, String expected) {
        ConnectUdpMatch m = TEMPLATES.get(template).match(path);
        String[] e = expected.split(" ", 2);
        if (e[0].matches("\\d{3}")) {
            ConnectUdpRejection r = assertInstanceOf(ConnectUdpRejection.class, m, expected);
            assertEquals(Integer.parseInt(e[0]), r.httpStatus(), r.details());
            assertEquals(ProxyErrorType.HTTP_REQUEST_ERROR, r.errorType());
            assertTrue(r.details().contains(e[1]), r.details());
        } else {
            String[] t = expected.split(" ");
            assertEquals(new ConnectUdpTarget(t[0], HostKind.valueOf(t[1]), Integer.parseInt(t[2])), m);
        }
    }

    @Test
    void rejectionCarriesTheProxyStatusToSend() {
        ConnectUdpRejection r = (ConnectUdpRejection) TEMPLATES.get("default")
                .match("/.well-known/masque/udp/192.0.2.6/65536/");
        assertEquals("acip-gw; error=http_request_error; "
                        + "details=\"target_port is out of range 1..65535 (RFC 9298 Section 3)\"",
                r.toProxyStatus("acip-gw").toHeaderValue());
    }

    @Test
    void targetAuthorityBracketsIpv6() {
        assertEquals("[2001:db8::1]:443", ConnectUdpTarget.of("2001:db8::1", 443).authority());
        assertEquals("192.0.2.6:53", ConnectUdpTarget.of("192.0.2.6", 53).authority());
        assertEquals("example.com:53", ConnectUdpTarget.of("Example.com", 53).authority());
    }
}
