package io.acip.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code admin} section: who may use the listener, and where it may listen without credentials. */
class AdminConfigTest {
    private static GatewayConfig parse(String admin) throws ConfigException {
        return ConfigLoader.parse("node: {id: n}\nadmin:\n" + admin.indent(2));
    }

    @Test
    void defaultsAreLoopbackOnlyAndClosedMetrics() throws ConfigException {
        GatewayConfig.Admin a = parse("listen: 127.0.0.1:9901").admin();
        assertEquals(List.of("127.0.0.0/8", "::1/128"), a.attachAllowed());
        assertEquals(List.of(), a.allowedOrigins());
        assertFalse(a.metricsPublic());
        assertFalse(a.credentialed());
        assertFalse(a.tls());
        assertEquals(a, new GatewayConfig.Admin("127.0.0.1:9901"));
    }

    @Test
    void readsEveryField() throws ConfigException {
        GatewayConfig.Admin a = parse("""
                listen: 0.0.0.0:9901
                token_file: /etc/acip/admin.token
                client_ca: /etc/acip/admin-ca.pem
                tls_certificate: admin.pem
                tls_key: admin-key.pem
                metrics_public: true
                allowed_origins: [https://console.example.com]
                attach_allowed: [10.20.0.0/16, 127.0.0.0/8]
                """).admin();
        assertEquals("/etc/acip/admin.token", a.tokenFile());
        assertEquals("/etc/acip/admin-ca.pem", a.clientCa());
        assertTrue(a.metricsPublic() && a.credentialed() && a.tls());
        assertEquals(List.of("https://console.example.com"), a.allowedOrigins());
        assertEquals(List.of("10.20.0.0/16", "127.0.0.0/8"), a.attachAllowed());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "listen: 127.0.0.1:9901",
        "listen: '[::1]:9901'",
        "listen: localhost:9901",
        "{listen: 0.0.0.0:9901, token_file: admin.token}",
        "{listen: 192.0.2.10:9901, client_ca: admin-ca.pem}",
    })
    void listensBeyondLoopbackOnlyWithCredentials(String admin) throws ConfigException {
        parse(admin);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "listen: 0.0.0.0:9901|admin.listen: '0.0.0.0:9901' is not a loopback address; an admin listener reachable "
                + "from other hosts needs admin.token_file or admin.client_ca",
        "listen: '[::]:9901'|admin.listen: '[::]:9901' is not a loopback address",
        "{listen: 192.0.2.10:9901, tls_certificate: a.pem, tls_key: k.pem}|admin.listen: '192.0.2.10:9901' is not a "
                + "loopback address",
        "{listen: 127.0.0.1:9901, tls_certificate: a.pem}|admin.tls_key: tls_certificate and tls_key go together",
        "{listen: 127.0.0.1:9901, token_file: ''}|admin.token_file: empty path",
        "{listen: 127.0.0.1:9901, allowed_origins: [https://console.example.com/]}|admin.allowed_origins[0]: "
                + "'https://console.example.com/' is not an origin",
        "{listen: 127.0.0.1:9901, allowed_origins: ['*']}|admin.allowed_origins[0]: '*' is not an origin",
        "{listen: 127.0.0.1:9901, attach_allowed: [127.0.0.0/8, intranet]}|admin.attach_allowed[1]: 'intranet' is "
                + "not an IP range",
        "{listen: 127.0.0.1:9901, token: x}|admin.token: Unrecognized field",
    })
    void refusesWithTheFieldPath(String admin, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(admin));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
