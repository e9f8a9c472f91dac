package io.acip.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.control.BorderPolicy;
import io.acip.control.ControlConfig;
import io.acip.control.RouteKey;
import io.acip.wire.SkillName;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code node.control}, the border fields of {@code node.neighbours[]} and {@code node.routes[].advertise}. */
class RouteExchangeConfigTest {
    private static final String DOC = """
            node:
              id: edge-1
              control: {update_interval: 20ms, hold_time: 9s}
              neighbours:
                - id: provider
                  address: 127.0.0.1:7001
                  import: {allow: [bank], deny: [bank/internal], deny_tenants: [9]}
                  export: {tenants: [7]}
                  max_prefixes: 100
                  max_path_length: 4
                  max_route_bytes: 65536
              routes:
                - prefix: demo
                  via: provider
                  advertise: true
            """;

    @Test
    void readsTheRouteExchangeSettings() throws ConfigException {
        GatewayConfig c = ConfigLoader.parse(DOC);
        assertTrue(c.node().routes().get(0).advertise());
        ControlConfig control = RouteExchange.of(c.node());
        assertEquals(Duration.ofMillis(20), control.updateInterval());
        assertEquals(Duration.ofSeconds(9), control.holdTime());
        BorderPolicy b = control.border("provider");
        assertEquals(100, b.maxPrefixes());
        assertEquals(4, b.maxPathLength());
        assertEquals(65536, b.maxRouteBytes());
        assertTrue(b.importFilter().admits(new RouteKey(0, new SkillName("bank/payments"))));
        assertFalse(b.importFilter().admits(new RouteKey(0, new SkillName("bank/internal/x"))));
        assertFalse(b.importFilter().admits(new RouteKey(9, new SkillName("bank/payments"))));
        assertFalse(b.importFilter().admits(new RouteKey(0, new SkillName("travel"))));
        assertTrue(b.exportFilter().admits(new RouteKey(7, new SkillName("anything"))));
        assertFalse(b.exportFilter().admits(new RouteKey(0, new SkillName("anything"))));
        assertEquals(BorderPolicy.OPEN, control.border("someone-else"));
        assertEquals(50_000, control.border("someone-else").maxPrefixes());
    }

    @Test
    void holdTimeZeroOrOffMeansNoHoldTimer() throws ConfigException {
        for (String off : new String[] {"0", "off", "\"off\""}) {
            GatewayConfig c = ConfigLoader.parse(DOC.replace("hold_time: 9s", "hold_time: " + off));
            assertEquals(Duration.ZERO, RouteExchange.of(c.node()).holdTime(), off);
        }
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "hold_time: 9s|node.control.hold_time: must be at least 1s|hold_time: 500ms",
        "update_interval: 20ms|node.control.update_interval: 'soon' is not a duration|update_interval: soon",
        "max_prefixes: 100|node.neighbours[0].max_prefixes: must be at least 1|max_prefixes: 0",
        "max_path_length: 4|node.neighbours[0].max_path_length: must be 1..32|max_path_length: 33",
        "max_route_bytes: 65536|node.neighbours[0].max_route_bytes: must be at least 1|max_route_bytes: 0",
        "deny: [bank/internal]|node.neighbours[0].import.deny[0]: 'Bank' is not a skill prefix|deny: [Bank]",
        "deny_tenants: [9]|node.neighbours[0].import.deny_tenants[0]: must not be negative|deny_tenants: [-1]",
    })
    void refusesWithTheFieldPath(String line, String expected, String replacement) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(DOC.replace(line, replacement)));
        assertEquals(expected, e.getMessage().substring(0, Math.min(e.getMessage().length(), expected.length())));
    }
}
