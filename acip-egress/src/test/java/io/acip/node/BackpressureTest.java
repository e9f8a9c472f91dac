package io.acip.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.wire.ResetCode;
import io.acip.wire.SkillName;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A reader that stops reading slows the writer down across every hop; nothing piles up in between. */
class BackpressureTest {
    private static final int CHUNK = 16 * 1024;
    /** Per hop: stream window (1 MiB in the test fabric), stream write buffer (256 KiB), plus the reader's hold. */
    private static final long BOUND = 3 * (1 << 20) + 3 * 256 * 1024 + 256 * 1024;

    @Test
    void stalledReaderStopsTheWriterWithinBoundThenEverythingArrives() throws Exception {
        try (Fabric fabric = new Fabric()) {
            Fabric.Line line = fabric.line();
            Node edge = line.edge();
            Node transit = line.transit();
            Node far = line.far();

            AtomicLong received = new AtomicLong();
            CompletableFuture<Session> farSession = new CompletableFuture<>();
            CompletableFuture<Long> allReceived = new CompletableFuture<>();
            fabric.serve(far, "demo/sink", "sink", in -> new SessionHandler() {
                @Override
                public void onOpen(Session s) {
                    s.setReadable(false); // the far reader stalls from the start
                    farSession.complete(s);
                }

                @Override
                public void onData(Session s, ByteBuf data, boolean fin) {
                    if (received.addAndGet(data.readableBytes()) > 0 && fin) allReceived.complete(received.get());
                }

                @Override
                public void onReset(Session s, ResetCode code, String detail) {
                    allReceived.completeExceptionally(new IllegalStateException(detail));
                }
            });

            CompletableFuture<Void> blocked = new CompletableFuture<>();
            Writer writer = new Writer(blocked);
            edge.open(SessionRequest.stream(new SkillName("demo/sink"), "agent://t"), writer);
            blocked.get(20, TimeUnit.SECONDS);
            long sent = writer.sent.get();
            assertTrue(sent <= BOUND, "writer got " + sent + " bytes out before being stopped; bound " + BOUND);
            assertEquals(0, received.get(), "nothing was delivered to the stalled reader");

            // Resume: everything written arrives, and the writer may finish.
            Session reader = farSession.get(5, TimeUnit.SECONDS);
            reader.setReadable(true);
            writer.finish();
            assertEquals(writer.sent.get(), allReceived.get(20, TimeUnit.SECONDS));
        }
    }

    /** Writes 16 KiB chunks for as long as the session is writable. */
    private static final class Writer extends Recorder {
        final AtomicLong sent = new AtomicLong();
        private final CompletableFuture<Void> blocked;
        private volatile boolean finishing;

        Writer(CompletableFuture<Void> blocked) {
            this.blocked = blocked;
        }

        @Override
        public void onOpen(Session s) {
            super.onOpen(s);
            pump(s);
        }

        @Override
        public void onWritabilityChanged(Session s, boolean writable) {
            if (!writable) blocked.complete(null);
        }

        private void pump(Session s) {
            // Runs on the node's loop: write while the path takes more, then wait for the writability event.
            while (s.isWritableByApplication() && !finishing) {
                sent.addAndGet(CHUNK); // before the write: the write itself may report the path full
                s.write(Unpooled.wrappedBuffer(new byte[CHUNK]), false);
                if (sent.get() > 64L << 20) {
                    blocked.completeExceptionally(new AssertionError("64 MiB written and never told to stop"));
                    return;
                }
            }
        }

        void finish() throws Exception {
            finishing = true;
            Session s = opened.get(5, TimeUnit.SECONDS);
            s.write(Unpooled.EMPTY_BUFFER, true);
        }
    }
}
