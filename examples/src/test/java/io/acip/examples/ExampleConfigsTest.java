package io.acip.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acip.gateway.config.ConfigLoader;
import io.acip.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sample configurations stay valid as the configuration evolves. */
class ExampleConfigsTest {
    @ParameterizedTest
    @ValueSource(strings = {"edge", "transit", "far"})
    void sampleConfigurationLoads(String node) throws Exception {
        GatewayConfig c = ConfigLoader.load(Path.of("configs", node + ".yaml"));
        assertEquals(node, c.node().id());
        // The fabric learns its routes (docs/acip-v0.md §12): nobody writes them down node by node.
        assertEquals(List.of(), c.node().routes());
    }
}
