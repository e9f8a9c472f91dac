package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A skill's path prefix at its origin confines what agents reach: dot segments (also percent-encoded) are removed
 * before mapping, a path that would climb out is 400, and an encoded slash or backslash is 400 by default. curl's
 * {@code --path-as-is} sends the dot segments as written.
 */
class PathConfinementTest {
    @TempDir
    static Path dir;
    static RawOrigin origin;
    static Fabric3 fabric;

    @BeforeAll
    static void start() throws Exception {
        origin = new RawOrigin();
        fabric = new Fabric3(dir, List.of(new GatewayConfig.Agent("scoped", origin.uri(), false, false,
                List.of(new GatewayConfig.AgentSkill("test/scoped", "/scoped", "", Map.of())))), false);
    }

    @AfterAll
    static void stop() throws Exception {
        fabric.close();
        origin.close();
    }

    private static Curl.Result get(String url) throws Exception {
        return Curl.run("-i", "--path-as-is", "-x", fabric.proxy(), url);
    }

    private static String requestLine() throws InterruptedException {
        String head = origin.nextHead();
        return head.substring(0, head.indexOf("\r\n"));
    }

    @Test
    void dotSegmentsAreRemovedBeforeTheOriginSeesThem() throws Exception {
        assertEquals(200, get("http://scoped.test.acip/a/../b").status());
        assertEquals("GET /scoped/b HTTP/1.1", requestLine());
        assertEquals(200, get("http://scoped.test.acip/a/./c/./d/..").status());
        assertEquals("GET /scoped/a/c/ HTTP/1.1", requestLine());
    }

    @Test
    void aPathThatClimbsOutOfTheSkillIs400() throws Exception {
        for (String path : List.of("/../outside", "/%2e%2e/outside", "/a/../../outside", "/..;/outside")) {
            Curl.Result r = get("http://scoped.test.acip" + path);
            assertEquals(400, r.status(), path + ": " + r.out());
            assertTrue(r.header("proxy-status").contains("error=http_request_error"), r.out());
        }
        assertTrue(origin.noneWithin(200), "nothing reached the origin");
    }

    @Test
    void encodedSlashesAre400ByDefault() throws Exception {
        for (String path : List.of("/a%2F..%2F..%2Foutside", "/a%2fb")) {
            Curl.Result r = get("http://scoped.test.acip" + path);
            assertEquals(400, r.status(), path + ": " + r.out());
            assertTrue(r.body().contains("encoded slash"), r.out());
        }
        // An encoded backslash the HTTP/1.1 and HTTP/2 listeners refuse themselves (a suspicious character).
        for (String path : List.of("/a%5Cb", "/a%5cb")) {
            Curl.Result r = get("http://scoped.test.acip" + path);
            assertEquals(400, r.status(), path + ": " + r.out());
            assertTrue(r.header("proxy-status").contains("error=http_request_error"), r.out());
        }
        assertTrue(origin.noneWithin(200), "nothing reached the origin");
    }

    @Test
    void pathMappedSkillsAreNormalizedBeforeMapping() throws Exception {
        // Mapped by path after normalization: /skills/plain/echo/x/../y is plain/echo with /y.
        Curl.Result r = Curl.run("-i", "--path-as-is", "http://127.0.0.1:" + fabric.http()
                + "/skills/plain/echo/x/../y");
        assertEquals(200, r.status(), r.out());
        assertTrue(r.body().contains("\"path\":\"/y\""), r.body());
    }
}
