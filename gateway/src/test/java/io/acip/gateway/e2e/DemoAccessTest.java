package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.Demo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded demo stays open to agents without credentials, takes its published key, and refuses a wrong one. */
class DemoAccessTest {
    @TempDir
    Path dir;

    @Test
    void anonymousAndTheDemoKeyAreServedAWrongKeyIsChallenged() throws Exception {
        try (Demo demo = Demo.start(dir, 0, 0, 0)) {
            String url = "http://127.0.0.1:" + demo.edge().httpPorts()[0] + "/skills/demo/echo/x";
            assertEquals(200, Curl.run("-i", url).status());
            assertEquals(200, Curl.run("-i", "-H", "Authorization: Bearer demo-key", url).status());
            Curl.Result wrong = Curl.run("-i", "-H", "Authorization: Bearer not-the-demo-key", url);
            assertEquals(401, wrong.status(), wrong.out());
            assertTrue(demo.instructions().contains("demo-key"));
        }
    }
}
