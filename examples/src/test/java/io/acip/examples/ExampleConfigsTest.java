package io.acip.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acip.gateway.config.ConfigLoader;
import io.acip.gateway.config.GatewayConfig;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sample configurations stay valid as the configuration evolves. */
class ExampleConfigsTest {
    @ParameterizedTest
    @ValueSource(strings = {"edge", "transit", "far"})
    void sampleConfigurationLoads(String node) throws Exception {
        GatewayConfig c = ConfigLoader.load(Path.of("configs", node + ".yaml"));
        assertEquals(node, c.node().id());
    }
}
