package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-memory pipe behind interception: bounded, backpressured, and it tells connections it closed. */
@Timeout(30)
class TunnelPipeTest {
    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private TunnelPipe pipe;

    @BeforeEach
    void start() throws Exception {
        scheduler.start();
        pipe = new TunnelPipe(scheduler, executor, 8, new InetSocketAddress("127.0.0.2", 1),
                new InetSocketAddress("127.0.0.3", 2));
    }

    @AfterEach
    void stop() throws Exception {
        executor.shutdownNow();
        scheduler.stop();
    }

    @Test
    void aWriteLargerThanTheCapacityCompletesOnlyAsTheReaderTakesBytes() throws Exception {
        EndPoint writer = pipe.tunnelSide();
        EndPoint reader = pipe.servedSide();
        CompletableFuture<Void> written = new CompletableFuture<>();
        writer.write(Callback.from(written), ByteBuffer.wrap("twenty bytes of data".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(written.isDone(), "20 bytes cannot fit a pipe of 8");
        StringBuilder got = new StringBuilder();
        ByteBuffer sink = BufferUtil.allocate(5);
        while (got.length() < 20) {
            CompletableFuture<Void> readable = new CompletableFuture<>();
            reader.fillInterested(Callback.from(readable));
            readable.get(5, TimeUnit.SECONDS);
            BufferUtil.clear(sink);
            assertTrue(reader.fill(sink) >= 0); // 0 after a spurious wake-up, which Jetty connections tolerate
            got.append(BufferUtil.toString(sink, StandardCharsets.US_ASCII));
        }
        written.get(5, TimeUnit.SECONDS);
        assertEquals("twenty bytes of data", got.toString());
    }

    @Test
    void halfClosesTravelAndClosingReachesTheConnection() throws Exception {
        Recorder a = new Recorder(pipe.tunnelSide());
        Recorder b = new Recorder(pipe.servedSide());
        pipe.tunnelSide().shutdownOutput();
        assertEquals(-1, pipe.servedSide().fill(BufferUtil.allocate(4)));
        assertFalse(b.closed.isDone(), "one half-close is not a close");
        pipe.servedSide().shutdownOutput(); // input already ended: this end closes now
        b.closed.get(5, TimeUnit.SECONDS);
        assertEquals(-1, pipe.tunnelSide().fill(BufferUtil.allocate(4)));
        a.closed.get(5, TimeUnit.SECONDS);
        assertEquals(new InetSocketAddress("127.0.0.2", 1), pipe.servedSide().getRemoteSocketAddress());
    }

    /** A connection that only records its onClose, which a socket's selector would call. */
    private static final class Recorder extends AbstractConnection {
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        Recorder(EndPoint endPoint) {
            super(endPoint, Runnable::run);
            endPoint.setConnection(this);
        }

        @Override
        public void onFillable() {
        }

        @Override
        public void onClose(Throwable cause) {
            super.onClose(cause);
            closed.complete(null);
        }
    }
}
