package io.acip.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.acip.capsule.fuzz.AllocationBudget;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * The YAML configuration loader under Jazzer. Contract: parse returns a validated configuration or raises
 * {@link ConfigException} whose message names the field or line at fault, nothing else, whatever the document
 * (anchors and aliases, deep nesting, wrong types included); what it accepts passes {@link ConfigLoader#validate}
 * again and parses identically twice; parsing allocates within a bounded multiple of the document's size.
 */
@Timeout(10)
class ConfigLoaderFuzzTest {
    @FuzzTest
    void parse(byte[] input) throws Exception {
        String yaml = new String(input, StandardCharsets.UTF_8);
        GatewayConfig[] parsed = new GatewayConfig[1];
        // YAML's reader keeps a code point (4 bytes) per character plus a token, an event and a node per scalar.
        AllocationBudget.check(input, AllocationBudget.of(input, 1024, 1 << 20), () -> {
            try {
                parsed[0] = ConfigLoader.parse(yaml);
            } catch (ConfigException refused) {
                assertNotNull(refused.getMessage());
                assertFalse(refused.getMessage().isBlank());
                parsed[0] = null;
            }
        });
        GatewayConfig c = parsed[0];
        if (c == null) return;
        ConfigLoader.validate(c);
        assertEquals(c, ConfigLoader.parse(yaml));
    }
}
