package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge's only next hop toward a skill is stopped: the route stands, so agents hear {@code 503
 * destination_unavailable} (try again later), not {@code 502 destination_not_found} (no such skill).
 */
class DeadTransitTest {
    @TempDir
    Path dir;
    Fabric3 fabric;

    @BeforeEach
    void start() throws Exception {
        fabric = new Fabric3(dir, List.of(), false);
    }

    @AfterEach
    void stop() throws Exception {
        fabric.close();
    }

    @Test
    void aDeadTransitIsDestinationUnavailable() throws Exception {
        assertEquals(200, Curl.run("-i", "-x", fabric.proxy(), "http://echo.demo.acip/").status());
        fabric.transit.close();
        Curl.Result r = Curl.run("-i", "-x", fabric.proxy(), "http://echo.demo.acip/");
        assertEquals(503, r.status(), r.out() + r.err());
        String ps = r.header("proxy-status");
        assertTrue(ps.startsWith("acip-edge") && ps.contains("error=destination_unavailable"), ps);
        // A CONNECT to it is answered the same way, not 200 and a closed tunnel.
        String head = fabric.connectHead("echo.plain.acip:80");
        assertTrue(head.startsWith("HTTP/1.1 503 ") && head.contains("error=destination_unavailable"), head);
        // A skill without any route is still not found.
        Curl.Result none = Curl.run("-i", "-x", fabric.proxy(), "http://echo.nowhere.acip/");
        assertEquals(502, none.status(), none.out());
        assertTrue(none.header("proxy-status").contains("error=destination_not_found"), none.out());
    }
}
