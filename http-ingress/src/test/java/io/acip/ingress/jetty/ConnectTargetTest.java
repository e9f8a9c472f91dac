package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.acip.capsule.proxystatus.ProxyErrorType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9110 §9.3.6 / RFC 9112 §3.2.3 authority-form, one row per rule. */
class ConnectTargetTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "example.com:443,          example.com,        443,   example.com:443",
            "EXAMPLE.Com:8443,         example.com,        8443,  example.com:8443",
            "127.0.0.1:80,             127.0.0.1,          80,    127.0.0.1:80",
            "_acme.skills.example:1,   _acme.skills.example, 1,   _acme.skills.example:1",
            "[::1]:443,                0:0:0:0:0:0:0:1,    443,   [0:0:0:0:0:0:0:1]:443",
            "[2001:db8::1]:65535,      2001:db8:0:0:0:0:0:1, 65535, [2001:db8:0:0:0:0:0:1]:65535",
    })
    void accepted(String authority, String host, int port, String normalized) throws RejectedRequest {
        ConnectTarget target = ConnectTarget.parse(authority);
        assertEquals(host, target.host());
        assertEquals(port, target.port());
        assertEquals(normalized, target.authority());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {
            "example.com",          // the port is required, even for 443
            "example.com:",         // empty port
            "example.com:0",        // port out of range
            "example.com:65536",
            "example.com:+80",      // digits only
            "example.com:123456",
            "user@example.com:443", // no userinfo in authority-form
            "::1:443",              // IPv6 without brackets
            "[::1]",                // bracketed, no port
            "[::1]443",
            "[zz::1]:443",          // not an IPv6 literal
            "[fe80::1%25eth0]:443", // zone IDs are not for proxies
            "exa mple.com:443",     // not a reg-name
            "host%41:443",          // no percent-encoding in a host we would resolve
            ".example.com:443",
            "a..b:443",
    })
    void rejectedWith400(String authority) {
        RejectedRequest r = assertThrows(RejectedRequest.class, () -> ConnectTarget.parse(authority));
        assertEquals(400, r.failure().status());
        assertEquals(ProxyErrorType.HTTP_REQUEST_ERROR, r.failure().error());
    }
}
