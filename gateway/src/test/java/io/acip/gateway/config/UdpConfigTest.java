package io.acip.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The UDP settings: direct UDP egress, its DNS, the idle timeout of UDP sockets, agents' UDP endpoints. */
class UdpConfigTest {
    private static final String GOOD = """
            node:
              id: edge-1
            egress:
              direct: true
              direct_udp: false
              allow: [127.0.0.0/8]
              dns:
                nameservers: [127.0.0.1:5353, "[::1]:53"]
                timeout: 2s
            udp:
              idle_timeout: 3m
              native_transport: nio
            agents:
              - name: quic
                origin: http://127.0.0.1:9001
                udp: 127.0.0.1:4433
                skills:
                  - name: demo/quic
            """;

    @Test
    void readsTheUdpSettings() throws ConfigException {
        GatewayConfig c = ConfigLoader.parse(GOOD);
        assertEquals(false, c.egress().directUdp());
        assertEquals(List.of("127.0.0.1:5353", "[::1]:53"), c.egress().dns().nameservers());
        assertEquals("2s", c.egress().dns().timeout());
        assertEquals("3m", c.udp().idleTimeout());
        assertEquals("nio", c.udp().nativeTransport());
        assertEquals("127.0.0.1:4433", c.agents().get(0).udp());
    }

    @Test
    void http3FollowsTheTlsListenerUnlessSet() throws ConfigException {
        assertTrue(ConfigLoader.parse("node: {id: a}\nhttp: {tls_listen: 127.0.0.1:8443}\n").http().http3());
        assertEquals(false, ConfigLoader.parse("node: {id: a}\nhttp: {listen: 127.0.0.1:8080}\n").http().http3());
        assertEquals(false, ConfigLoader.parse("node: {id: a}\nhttp: {tls_listen: 127.0.0.1:8443, http3: false}\n")
                .http().http3());
    }

    @Test
    void refusesBadHttpUdpSettingsNamingTheField() {
        Map<String, String> cases = Map.of(
                "http: {listen: 127.0.0.1:8080, http3: true}", "http.http3: needs http.tls_listen",
                "http: {listen: 127.0.0.1:8080}\nudp: {idle_timeout: 90s}", "udp.idle_timeout: must be at least 2m",
                "http: {listen: 127.0.0.1:8080, connect_udp_template: \"/udp/{target_host}/\"}",
                "http.connect_udp_template: ");
        cases.forEach((yaml, expected) -> {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("node: {id: a}\n" + yaml));
            assertTrue(e.getMessage().startsWith(expected), yaml + " -> " + e.getMessage());
        });
    }

    @Test
    void directUdpFollowsDirectUnlessSet() throws ConfigException {
        assertEquals(true, ConfigLoader.parse("node: {id: a}\negress: {direct: true}\n").egress().directUdp());
        assertEquals(false, ConfigLoader.parse("node: {id: a}\n").egress().directUdp());
        assertTrue(ConfigLoader.parse("node: {id: a}\n").egress().dns().nameservers().isEmpty());
        assertEquals(null, ConfigLoader.parse("node: {id: a}\n").udp().idleTimeout());
        assertEquals("auto", ConfigLoader.parse("node: {id: a}\n").udp().nativeTransport());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:5353, \"[::1]:53\"|egress.dns.nameservers[1]: port 99999 outside|127.0.0.1:5353, \"[::1]:99999\"",
        "127.0.0.1:5353, \"[::1]:53\"|egress.dns.nameservers[0]: 'dns.example:53' must be an IP address|dns.example:53",
        "timeout: 2s|egress.dns.timeout: 'soon' is not a duration|timeout: soon",
        "idle_timeout: 3m|udp.idle_timeout: must be more than zero|idle_timeout: 0s",
        "native_transport: nio|udp.native_transport: must be auto or nio, not 'epoll'|native_transport: epoll",
        "udp: 127.0.0.1:4433|agents[0].udp: port out of 1..65535: 0|udp: 127.0.0.1:0",
        "udp: 127.0.0.1:4433|agents[0].udp: expected host:port|udp: 127.0.0.1",
        "direct_udp: false|egress.direct_udp: Cannot deserialize|direct_udp: [1]",
    })
    void refusesBadUdpSettingsNamingTheField(String replace, String expected, String with) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(GOOD.replace(replace, with)));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
