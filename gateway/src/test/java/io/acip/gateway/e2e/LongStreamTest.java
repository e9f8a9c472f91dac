package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http.stream_idle_timeout} is about silence only. A ten-minute-class stream shortened by configuration: with
 * the edge's set to 1 s, an SSE stream that sends every 250 ms for 3 s arrives whole through three nodes, while one
 * that falls silent for longer than 1 s is cut.
 */
class LongStreamTest {
    @TempDir
    static Path dir;
    static Fabric3 fabric;

    @BeforeAll
    static void start() throws Exception {
        fabric = new Fabric3(dir, List.of(), false, "1s");
    }

    @AfterAll
    static void stop() throws Exception {
        fabric.close();
    }

    @Test
    void aStreamThatKeepsSendingOutlivesTheIdleTimeout() throws Exception {
        long start = System.nanoTime();
        Curl.Result r = Curl.run("-sN", "-i", "http://127.0.0.1:" + fabric.http()
                + "/skills/demo/sse/?n=12&interval_ms=250");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, r.exit(), r.err());
        assertEquals(200, r.status());
        assertEquals(12, r.body().lines().filter(l -> l.startsWith("data: ")).count(), r.body());
        assertTrue(ms >= 2_700, "the stream lasted " + ms + " ms, well past the 1 s idle timeout");
    }

    @Test
    void aSilentStreamIsCut() throws Exception {
        long start = System.nanoTime();
        Curl.Result r = Curl.run("-sN", "-i", "http://127.0.0.1:" + fabric.http()
                + "/skills/demo/sse/?n=2&interval_ms=4000");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertNotEquals(0, r.exit(), "curl saw the stream end early: " + r.out());
        assertEquals(200, r.status());
        assertEquals(1, r.body().lines().filter(l -> l.startsWith("data: ")).count(), r.body());
        assertTrue(ms < 3_500, "cut after " + ms + " ms of a 4 s silence");
    }
}
