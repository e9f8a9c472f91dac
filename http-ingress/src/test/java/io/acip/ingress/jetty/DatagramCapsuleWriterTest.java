package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.CapsuleListener;
import io.acip.capsule.CapsuleParser;
import io.acip.capsule.DatagramPayload;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.junit.jupiter.api.Test;

/** The queue toward the agent: bounded, copied, nothing before start, in order after, half-close after the rest. */
class DatagramCapsuleWriterTest {
    private final ByteArrayEndPoint endPoint = new ByteArrayEndPoint(new byte[0], 1024, true); // output grows
    private final AtomicReference<Throwable> failed = new AtomicReference<>();
    private final DatagramCapsuleWriter writer = new DatagramCapsuleWriter(endPoint, Runnable::run, failed::set);

    @Test
    void queuesUpToTheBoundThenRefusesUntilFlushed() throws Exception {
        int payload = 8 * 1024;
        int accepted = 0;
        while (writer.offer(ByteBuffer.allocate(payload)) == DatagramCapsuleWriter.Offer.QUEUED) accepted++;
        int capsule = payload + 4; // type, two-byte length, context ID
        assertEquals(DatagramCapsuleWriter.MAX_QUEUED_BYTES / capsule, accepted);
        assertEquals("", endPoint.getOutputString(), "written before the 101 / 200 left");

        writer.start();
        assertEquals(accepted, datagrams(endPoint.takeOutput()).size());
        assertEquals(DatagramCapsuleWriter.Offer.QUEUED, writer.offer(ByteBuffer.allocate(payload)));
        writer.flush();
        assertEquals(1, datagrams(endPoint.takeOutput()).size());
        assertNull(failed.get());
    }

    @Test
    void copiesThePayloadAndKeepsOrder() throws Exception {
        writer.start();
        ByteBuffer reused = ByteBuffer.allocate(3);
        for (byte b = 1; b <= 3; b++) {
            reused.clear().put(new byte[] {b, b, b}).flip();
            writer.offer(reused);
            writer.flush();
            assertEquals(3, reused.remaining(), "the caller's position moved");
        }
        List<byte[]> out = datagrams(endPoint.takeOutput());
        assertEquals(3, out.size());
        for (int i = 0; i < 3; i++) assertEquals(i + 1, out.get(i)[0]);
    }

    @Test
    void finishFlushesThenShutsTheOutput() throws Exception {
        writer.offer(ByteBuffer.wrap(new byte[] {7}));
        writer.finish();
        assertFalse(endPoint.isOutputShutdown());
        assertEquals(DatagramCapsuleWriter.Offer.CLOSED, writer.offer(ByteBuffer.wrap(new byte[] {8})));
        writer.start();
        assertEquals(1, datagrams(endPoint.takeOutput()).size());
        assertTrue(endPoint.isOutputShutdown());
    }

    @Test
    void discardDropsWhatWasQueued() throws Exception {
        writer.offer(ByteBuffer.wrap(new byte[] {7}));
        writer.discard();
        writer.start();
        assertEquals(0, endPoint.takeOutput().remaining());
        assertEquals(DatagramCapsuleWriter.Offer.CLOSED, writer.offer(ByteBuffer.wrap(new byte[] {8})));
    }

    private static List<byte[]> datagrams(ByteBuffer wire) throws Exception {
        List<byte[]> out = new ArrayList<>();
        new CapsuleParser(1 << 20, new CapsuleListener() {
            @Override
            public void onCapsule(long type, ByteBuffer value) throws io.acip.capsule.CodecException {
                DatagramPayload d = DatagramPayload.parse(value);
                assertEquals(0, d.contextId());
                byte[] b = new byte[d.data().remaining()];
                d.data().get(b);
                out.add(b);
            }
        }).feed(wire);
        return out;
    }
}
