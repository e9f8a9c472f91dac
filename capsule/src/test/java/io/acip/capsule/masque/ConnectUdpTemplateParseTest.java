package io.acip.capsule.masque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Configuration-time validation (RFC 9298 §2), one row per rule. */
class ConnectUdpTemplateParseTest {

    @ParameterizedTest
    @ValueSource(strings = {
        // RFC 9298 §2, Figure 1
        "https://example.org/.well-known/masque/udp/{target_host}/{target_port}/",
        "https://proxy.example.org:4443/masque?h={target_host}&p={target_port}",
        "https://proxy.example.org:4443/masque{?target_host,target_port}",
        // other level 1-3 forms RFC 9298 allows
        "https://proxy.example/udp/{target_host,target_port}",
        "https://proxy.example/udp?v=1{&target_host,target_port}",
        "https://proxy.example/udp/{target_host}:{target_port}",
        "http://[2001:db8::1]:8443/masque/{target_host}/{target_port}",
        "https://192.0.2.1/masque/{target_host}/{target_port}/",
        "HTTPS://proxy.example/%7Eudp/{target_host}/{target_port}",
    })
    void acceptsValidTemplates(String template) {
        assertEquals(template, ConnectUdpTemplate.parse(template).toString());
    }

    @Test
    void exposesSchemeAndAuthority() {
        ConnectUdpTemplate t = ConnectUdpTemplate.parse("HTTPS://Proxy.example:4443/m/{target_host}/{target_port}");
        assertEquals("https", t.scheme());
        assertEquals("Proxy.example:4443", t.authority());
    }

    @Test
    void defaultTemplate() {
        // RFC 9298 §2: https://$PROXY_HOST:$PROXY_PORT/.well-known/masque/udp/{target_host}/{target_port}/
        ConnectUdpTemplate t = ConnectUdpTemplate.defaultFor("proxy.example:4443");
        assertEquals("https://proxy.example:4443/.well-known/masque/udp/{target_host}/{target_port}/", t.toString());
        assertEquals(t, ConnectUdpTemplate.parse(t.toString()));
        assertEquals("proxy.example:4443", t.authority());
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy.example/x", "proxy.example?x", "proxy.example#x", "{target_host}", "", "a@b"})
    void defaultTemplateRefusesAnAuthorityThatIsNotOne(String authority) {
        assertThrows(IllegalArgumentException.class, () -> ConnectUdpTemplate.defaultFor(authority));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // RFC 9298 §2: absolute form with scheme, authority and a path starting with "/"
        "/masque/{target_host}/{target_port}                             | not an absolute URI",
        "ftp://proxy.example/{target_host}/{target_port}                 | scheme must be https or http",
        "https:///{target_host}/{target_port}                            | authority is empty",
        "https://proxy.example?h={target_host}&p={target_port}           | path must be present and start with '/'",
        "https://proxy.example                                           | path must be present",
        "https://user@proxy.example/{target_host}/{target_port}          | userinfo",
        "https://proxy.example:0/{target_host}/{target_port}             | port must be 1..65535",
        "https://proxy.example:65536/{target_host}/{target_port}         | port must be 1..65535",
        "https://proxy.example:/{target_host}/{target_port}              | port must be 1..65535",
        "https://[2001:db8::1/{target_host}/{target_port}                | IPv6 literal is not valid",
        "https://[fe80::1%eth0]/{target_host}/{target_port}              | IPv6 literal is not valid",
        // RFC 9298 §2: variables only in the path or query
        "https://{target_host}/{target_port}                             | not the authority",
        "https://proxy.example:{target_port}/{target_host}               | not the authority",
        "https://proxy.example{?target_host,target_port}                 | not the authority",
        // RFC 9298 §2: both variables
        "https://proxy.example/{target_host}                             | target_port is missing",
        "https://proxy.example/{target_port}                             | target_host is missing",
        "https://proxy.example/masque                                    | target_host is missing",
        // RFC 9298 §2: forbidden operators
        "https://proxy.example/{+target_host}/{target_port}              | operator '+' is not allowed",
        "https://proxy.example/{#target_host}/{target_port}              | operator '#' is not allowed",
        "https://proxy.example/x{.target_host}/{target_port}             | operator '.' is not allowed",
        "https://proxy.example/x{/target_host,target_port}               | operator '/' is not allowed",
        "https://proxy.example/x{;target_host,target_port}               | operator ';' is not allowed",
        // RFC 6570 §2.2: reserved operators
        "https://proxy.example/{=target_host}/{target_port}              | operator '=' is reserved",
        "https://proxy.example/{!target_host}/{target_port}              | operator '!' is reserved",
        "`https://proxy.example/{|target_host}/{target_port}`            | `operator '|' is reserved`",
        // RFC 9298 §2: level 3 at most, so no level-4 modifiers
        "https://proxy.example/{target_host*}/{target_port}              | explode modifier",
        "https://proxy.example/{target_host:3}/{target_port}             | prefix modifier",
        "https://proxy.example/m{?target_host*,target_port}              | explode modifier",
        // variables: names and uses
        "https://proxy.example/{target_host}/{target_port}/{foo}         | unknown variable 'foo'",
        "https://proxy.example/{Target_Host}/{target_port}               | unknown variable 'Target_Host'",
        "https://proxy.example/{target_host}/{target_host}/{target_port} | 'target_host' appears twice",
        "https://proxy.example/{target_host,}/{target_port}              | invalid variable name ''",
        "https://proxy.example/{target-host}/{target_port}               | invalid variable name 'target-host'",
        "https://proxy.example/{}/{target_host}/{target_port}            | empty expression",
        // braces
        "https://proxy.example/{target_host/{target_port}                | '{' without a matching '}'",
        "https://proxy.example/{target_host}/{target_port                | '{' without a matching '}'",
        "https://proxy.example/target_host}/{target_host}/{target_port}  | '}' without a matching '{'",
        "https://proxy.example/{{target_host}}/{target_port}             | '{' without a matching '}'",
        // characters (RFC 9298 §2: 0x21-0x7E; RFC 6570 §2.1 literals)
        "`https://proxy.example/ {target_host}/{target_port}`            | 0x21-0x7E",
        "https://proxy.example/ü/{target_host}/{target_port}             | 0x21-0x7E",
        "https://proxy.example/%zz/{target_host}/{target_port}           | '%' not followed by two hex digits",
        "https://proxy.example/<{target_host}>/{target_port}             | '<' is not allowed",
        "https://proxy.example/{target_host}/{target_port}#f             | fragment",
        // query structure
        "https://proxy.example/m?a=1{?target_host,target_port}           | already has one",
        "https://proxy.example/m/{&target_host,target_port}              | has none before it",
        // matchability
        "https://proxy.example/{target_host}{target_port}                | must be separated by a literal",
        "https://proxy.example/{target_host}.{target_port}               | followed by '.'",
        "https://proxy.example/{target_host}-{target_port}               | followed by '-'",
        "https://proxy.example/{target_host}%2F{target_port}             | followed by '%'",
        "https://proxy.example/m?h={target_host}x&p={target_port}        | followed by 'x'",
    })
    void refusesInvalidTemplates(String template, String reason) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ConnectUdpTemplate.parse(template));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(e.getMessage().contains(template), "the message names the template: " + e.getMessage());
    }

    @Test
    void nullIsAProgrammingError() {
        assertThrows(NullPointerException.class, () -> ConnectUdpTemplate.parse(null));
    }
}
