package io.acip.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.acip.wire.SkillName;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every session is one QUIC stream per link, and a link lets its peer hold only so many streams at once: finished
 * sessions must hand their streams back (both sides closed, so QUIC returns the credit), or a link dies after that
 * many sessions, whichever side opened them.
 */
class StreamCreditTest {
    @Test
    void manyMoreSessionsThanConcurrentStreamsCrossThreeNodes() throws Exception {
        try (Fabric fabric = new Fabric()) {
            fabric.maxStreams = 16;
            Fabric.Line line = fabric.echoLine();
            for (int i = 0; i < 200; i++) {
                Recorder r = new Recorder();
                line.edge().open(SessionRequest.stream(new SkillName("demo/echo"), "agent://t"), r);
                Session s;
                try {
                    s = r.opened.get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError("session " + i + " did not open", e);
                }
                byte[] payload = ("session " + i).getBytes(StandardCharsets.UTF_8);
                s.write(Unpooled.wrappedBuffer(payload), true);
                assertArrayEquals(payload, r.finished.get(10, TimeUnit.SECONDS), "session " + i);
                r.closed.get(10, TimeUnit.SECONDS);
            }
        }
    }
}
