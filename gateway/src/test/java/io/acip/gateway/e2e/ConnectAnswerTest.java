package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CONNECT to a skill is answered once its session is set up (RFC 9110 §9.3.6): 200 for a tunnel that exists,
 * otherwise the status RFC 9209 names for why not, never a 200 followed by a closed tunnel.
 */
class ConnectAnswerTest {
    @TempDir
    static Path dir;
    static Fabric3 fabric;

    @BeforeAll
    static void start() throws Exception {
        fabric = new Fabric3(dir, List.of(), false);
    }

    @AfterAll
    static void stop() throws Exception {
        fabric.close();
    }

    @Test
    void aSkillWithoutRouteIs502BeforeAnyTunnel() throws Exception {
        String head = fabric.connectHead("x.unknown.acip:443");
        assertTrue(head.startsWith("HTTP/1.1 502 "), head);
        assertTrue(head.contains("error=destination_not_found"), head);
    }

    @Test
    void aCarriedTunnelStillWorks() throws Exception {
        Curl.Result r = Curl.run("-i", "-p", "-x", fabric.proxy(), "http://echo.plain.acip/tunnelled");
        assertEquals(200, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("HTTP/1.1 200"), r.out());
    }
}
