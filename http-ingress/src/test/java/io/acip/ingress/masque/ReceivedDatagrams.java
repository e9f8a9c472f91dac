package io.acip.ingress.masque;

import io.acip.capsule.CapsuleListener;
import io.acip.capsule.CapsuleParser;
import io.acip.capsule.CodecException;
import io.acip.capsule.DatagramPayload;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The client side of a capsule stream: UDP payloads (context ID 0) as they arrive, and whether the stream ended. */
final class ReceivedDatagrams implements CapsuleListener {
    private final BlockingQueue<byte[]> payloads = new LinkedBlockingQueue<>();
    private final CapsuleParser parser = new CapsuleParser(1 << 20, this);
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /** Feeds stream bytes (from one reading thread at a time). */
    void feed(ByteBuffer bytes) throws CodecException {
        parser.feed(bytes);
    }

    @Override
    public void onCapsule(long type, ByteBuffer value) throws CodecException {
        DatagramPayload datagram = DatagramPayload.parse(value);
        if (!datagram.isUdpPayload()) return;
        byte[] copy = new byte[datagram.data().remaining()];
        datagram.data().get(copy);
        payloads.add(copy);
    }

    void ended() {
        closed.complete(null);
    }

    byte[] receive(Duration timeout) throws InterruptedException {
        return payloads.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean awaitClosed(Duration timeout) throws Exception {
        try {
            closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    /** {@link #awaitClosed}, for close() methods: an interrupt is kept for the caller and counts as not closed. */
    boolean awaitClosedQuietly(Duration timeout) {
        try {
            return awaitClosed(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    boolean isClosed() {
        return closed.isDone();
    }
}
