package io.acip.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    private static final String GOOD = """
            node:
              id: edge-1
              listen: 127.0.0.1:7000
              neighbours:
                - id: transit
                  address: 127.0.0.1:7001
              routes:
                - prefix: demo
                  via: transit
              timeouts: {setup: 10s, attempt: 3s, idle: 5m}
            http:
              listen: 127.0.0.1:8080
              rules:
                - host: api.example.com
                  skill: bank/payments
            egress:
              direct: true
              allow: [10.1.0.0/16]
            agents:
              - name: demo
                origin: http://127.0.0.1:9001
                skills:
                  - name: demo/echo
            """;

    @Test
    void acceptsAGoodDocument() throws ConfigException {
        GatewayConfig c = ConfigLoader.parse(GOOD);
        assertEquals("edge-1", c.node().id());
        assertEquals("transit", c.node().routes().get(0).via());
        assertEquals("acip", c.http().hostSuffix());
        assertEquals("/skills/", c.http().pathPrefix());
        assertEquals(true, c.egress().direct());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "id: edge-1|node.id: 'Edge!' must be",
        "listen: 127.0.0.1:7000|node.listen: 'nope' is not host:port",
        "address: 127.0.0.1:7001|node.neighbours[0].address: port 99999 outside",
        "prefix: demo|node.routes[0].prefix: 'Demo/' is not a skill name",
        "setup: 10s|node.timeouts.setup: 'ten' is not a duration",
        "skill: bank/payments|http.rules[0].skill: 'bank//x' is not a skill name",
        "allow: [10.1.0.0/16]|egress.allow[0]: 'intranet' is not an IP range",
        "origin: http://127.0.0.1:9001|agents[0].origin: 'ftp://x' must be an http:// or https:// URL",
        "name: demo/echo|agents[0].skills[0].name: 'demo echo' is not a skill name",
        "direct: true|egress.directly: Unrecognized field",
    })
    void refusesWithTheFieldPath(String line, String expected) {
        String bad = GOOD.replace(line, switch (line) {
            case "id: edge-1" -> "id: Edge!";
            case "listen: 127.0.0.1:7000" -> "listen: nope";
            case "address: 127.0.0.1:7001" -> "address: 127.0.0.1:99999";
            case "prefix: demo" -> "prefix: Demo/";
            case "setup: 10s" -> "setup: ten";
            case "skill: bank/payments" -> "skill: bank//x";
            case "allow: [10.1.0.0/16]" -> "allow: [intranet]";
            case "origin: http://127.0.0.1:9001" -> "origin: ftp://x";
            case "name: demo/echo" -> "name: demo echo";
            default -> "directly: true";
        });
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(bad));
        assertEquals(true, e.getMessage().startsWith(expected.substring(0, expected.indexOf(':')))
                && e.getMessage().contains(expected.substring(expected.indexOf(':') + 2)), e.getMessage());
    }

    @Test
    void escapedSlashesAreRejectOrKeep() throws ConfigException {
        assertEquals("reject", ConfigLoader.parse(GOOD).http().escapedSlashes());
        String keep = GOOD.replace("  listen: 127.0.0.1:8080", "  listen: 127.0.0.1:8080\n  escaped_slashes: keep");
        assertEquals("keep", ConfigLoader.parse(keep).http().escapedSlashes());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(keep.replace(": keep",
                ": decode")));
        assertEquals("http.escaped_slashes: 'decode' must be reject or keep", e.getMessage());
    }

    @Test
    void httpLimitsHaveDefaultsAndAreChecked() throws ConfigException {
        GatewayConfig.Limits none = ConfigLoader.parse(GOOD).http().limits();
        assertEquals(null, none.requestHeadTimeout());
        String set = GOOD.replace("  listen: 127.0.0.1:8080", "  listen: 127.0.0.1:8080\n  limits:\n"
                + "    request_head_timeout: 5s\n    max_connections_per_ip: 0\n    max_concurrent_streams: 64");
        GatewayConfig.Limits limits = ConfigLoader.parse(set).http().limits();
        assertEquals("5s", limits.requestHeadTimeout());
        assertEquals(0, limits.maxConnectionsPerIp());
        assertEquals(64, limits.maxConcurrentStreams());
        assertEquals("http.limits.request_head_timeout: must be more than zero", assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(set.replace(": 5s", ": 0s"))).getMessage());
        assertEquals("http.limits.max_connections_per_ip: -1 must be 0 (no limit) or more",
                assertThrows(ConfigException.class, () -> ConfigLoader.parse(set.replace("per_ip: 0", "per_ip: -1")))
                        .getMessage());
        assertEquals("http.limits.max_concurrent_streams: 0 must be between 1 and 65536",
                assertThrows(ConfigException.class, () -> ConfigLoader.parse(set.replace("streams: 64", "streams: 0")))
                        .getMessage());
    }

    @Test
    void aSkillTakesByteTunnelsOnlyWithTunnelTcp() throws ConfigException {
        assertEquals(null, ConfigLoader.parse(GOOD).agents().get(0).skills().get(0).tunnel());
        String tcp = GOOD.replace("- name: demo/echo", "- name: demo/echo\n        tunnel: tcp");
        assertEquals("tcp", ConfigLoader.parse(tcp).agents().get(0).skills().get(0).tunnel());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(tcp.replace("tunnel: tcp",
                "tunnel: udp")));
        assertEquals("agents[0].skills[0].tunnel: 'udp' must be tcp (or absent: no byte tunnels)", e.getMessage());
    }

    @Test
    void refusesWrongTypesWithThePath() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(GOOD.replace("max_sessions", "x").replace("id: edge-1", "id: edge-1\n  max_sessions: lots")));
        assertEquals(true, e.getMessage().startsWith("node.max_sessions"), e.getMessage());
    }

    @Test
    void attestationIsOptionalAndAllowListsAreChecked() throws Exception {
        assertEquals(false, ConfigLoader.parse(GOOD).node().requireAttestation());
        assertEquals(true, ConfigLoader.parse(GOOD.replace("id: edge-1", "id: edge-1\n  require_attestation: true"))
                .node().requireAttestation());
        assertEquals(null, ConfigLoader.parse(GOOD).agents().get(0).skills().get(0).allow());
        String allowed = GOOD.replace("  - name: demo/echo", "  - name: demo/echo\n        allow: [group:ci, authenticated]");
        assertEquals(java.util.List.of("group:ci", "authenticated"),
                ConfigLoader.parse(allowed).agents().get(0).skills().get(0).allow());
        for (String bad : new String[] {"[admins]", "[]", "[\"group:\"]"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(GOOD.replace(
                    "  - name: demo/echo", "  - name: demo/echo\n        allow: " + bad)));
            assertEquals(true, e.getMessage().startsWith("agents[0].skills[0].allow: "), e.getMessage());
        }
    }

    @Test
    void capacityIsOptionalAndPositive() throws Exception {
        assertEquals(null, ConfigLoader.parse(GOOD).agents().get(0).skills().get(0).capacity());
        assertEquals(8, ConfigLoader.parse(GOOD.replace("  - name: demo/echo", "  - name: demo/echo\n        capacity: 8"))
                .agents().get(0).skills().get(0).capacity());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(GOOD.replace(
                "  - name: demo/echo", "  - name: demo/echo\n        capacity: 0")));
        assertEquals("agents[0].skills[0].capacity: must be at least 1", e.getMessage());
    }

    @Test
    void resumptionIsADurationOrOff() throws Exception {
        assertEquals(java.time.Duration.ofMinutes(10), ConfigLoader.resumptionLifetime(ConfigLoader.parse(
                GOOD.replace("id: edge-1", "id: edge-1\n  resumption: 10m")).node()));
        assertEquals(java.time.Duration.ZERO, ConfigLoader.resumptionLifetime(ConfigLoader.parse(
                GOOD.replace("id: edge-1", "id: edge-1\n  resumption: \"off\"")).node()));
        assertEquals(java.time.Duration.ZERO, ConfigLoader.resumptionLifetime(ConfigLoader.parse(
                GOOD.replace("id: edge-1", "id: edge-1\n  resumption: off")).node()));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(GOOD.replace("id: edge-1", "id: edge-1\n  resumption: never")));
        assertEquals(true, e.getMessage().startsWith("node.resumption"), e.getMessage());
    }
}
