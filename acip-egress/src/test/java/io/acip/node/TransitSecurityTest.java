package io.acip.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.wire.Header;
import io.acip.wire.PacketType;
import io.acip.wire.SkillName;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a transit node can do to a session: read nothing, alter nothing unnoticed, replay nothing. */
class TransitSecurityTest {
    private static final byte[] SECRET = "the-payload-no-transit-may-read-0123456789".getBytes(StandardCharsets.US_ASCII);

    private Fabric fabric;
    private Node edge;
    private Node transit;
    private Node far;

    @BeforeEach
    void start() throws Exception {
        fabric = new Fabric();
        Fabric.Line line = fabric.echoLine();
        edge = line.edge();
        transit = line.transit();
        far = line.far();
    }

    @AfterEach
    void stop() {
        transit.transitTap = null;
        fabric.close();
    }

    @Test
    void transitSeesOnlyCiphertext() throws Exception {
        ConcurrentLinkedQueue<byte[]> seen = new ConcurrentLinkedQueue<>();
        transit.transitTap = (packet, send) -> {
            seen.add(ByteBufUtil.getBytes(packet));
            send.accept(packet);
        };
        Recorder r = new Recorder();
        Session s = open(r, false);
        s.write(Unpooled.wrappedBuffer(SECRET), true);
        assertArrayEquals(SECRET, r.finished.get(10, TimeUnit.SECONDS));
        Recorder d = new Recorder();
        Session ds = open(d, true);
        ds.writeDatagram(Unpooled.wrappedBuffer(SECRET));
        assertArrayEquals(SECRET, d.datagrams.poll(10, TimeUnit.SECONDS));

        long sealed = seen.stream().filter(p -> p[1] == PacketType.DATA.code || p[1] == PacketType.DGRAM.code).count();
        assertTrue(sealed >= 4, "transit carried " + sealed + " sealed packets");
        for (byte[] p : seen) {
            assertFalse(contains(p, SECRET), "plaintext visible in transit");
            assertFalse(contains(p, "the-payload".getBytes(StandardCharsets.US_ASCII)), "plaintext fragment visible");
        }
    }

    @Test
    void tamperedDataResetsTheSession() throws Exception {
        transit.transitTap = (packet, send) -> {
            if (Header.typeCode(packet) == PacketType.DATA.code) {
                int last = packet.writerIndex() - 1;
                packet.setByte(last, packet.getByte(last) ^ 0x01); // one bit of the tag
            }
            send.accept(packet);
        };
        Recorder r = new Recorder();
        Session s = open(r, false);
        s.write(Unpooled.wrappedBuffer(SECRET), false);
        String reset = r.reset.get(10, TimeUnit.SECONDS);
        assertTrue(reset.startsWith("authentication_failed"), reset);
        assertEquals(1, far.stats().get("acip.session.auth_failed") + edge.stats().get("acip.session.auth_failed"));
    }

    @Test
    void tamperedHeaderFlagIsDetected() throws Exception {
        // FIN is covered by the AEAD (additional data), so a transit cannot truncate a stream by setting it.
        transit.transitTap = (packet, send) -> {
            if (Header.typeCode(packet) == PacketType.DATA.code) packet.setByte(packet.readerIndex() + 2, 0x01);
            send.accept(packet);
        };
        Recorder r = new Recorder();
        open(r, false).write(Unpooled.wrappedBuffer(SECRET), false);
        assertTrue(r.reset.get(10, TimeUnit.SECONDS).startsWith("authentication_failed"));
    }

    @Test
    void replayedDatagramIsDroppedAndCounted() throws Exception {
        transit.transitTap = (packet, send) -> {
            if (Header.typeCode(packet) == PacketType.DGRAM.code && packet.getByte(packet.readerIndex() + 4) < 0) {
                send.accept(packet.copy()); // from edge (its labels carry the dialler bit) toward far: sent twice
            }
            send.accept(packet);
        };
        Recorder r = new Recorder();
        Session s = open(r, true);
        s.writeDatagram(Unpooled.wrappedBuffer(SECRET));
        assertArrayEquals(SECRET, r.datagrams.poll(10, TimeUnit.SECONDS));
        s.writeDatagram(Unpooled.wrappedBuffer(SECRET));
        assertArrayEquals(SECRET, r.datagrams.poll(10, TimeUnit.SECONDS));
        // Each datagram reached far twice; the echo answered once per datagram, and the session lives on.
        far.loop().submit(() -> { }).get(5, TimeUnit.SECONDS); // far has handled what it already received
        assertEquals(2, far.stats().get("acip.dgram.dropped.replay"));
        assertTrue(s.isWritableByApplication());
        assertTrue(r.datagrams.isEmpty());
    }

    private Session open(Recorder r, boolean datagram) throws Exception {
        SkillName skill = new SkillName("demo/echo");
        edge.open(datagram ? SessionRequest.datagram(skill, "agent://t") : SessionRequest.stream(skill, "agent://t"), r);
        return r.opened.get(10, TimeUnit.SECONDS);
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
