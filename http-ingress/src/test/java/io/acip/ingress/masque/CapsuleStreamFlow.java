package io.acip.ingress.masque;

import io.acip.capsule.Capsule;
import io.acip.capsule.DatagramPayload;
import io.acip.capsule.bhttp.Fields;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A flow whose UDP payloads travel as DATAGRAM capsules on the request stream (RFC 9298 §5, RFC 9297 §3.5), both
 * ways: HTTP/1.1 after the 101 and HTTP/2 in DATA frames. A subclass says how stream bytes go out and how the flow
 * ends; the response head, the received payloads and the capsule encoding are kept here.
 */
abstract class CapsuleStreamFlow implements MasqueClient.Flow {
    protected final ReceivedDatagrams received = new ReceivedDatagrams();
    /** Completes with this flow once the response head (or a refusal's whole body) was read. */
    protected final CompletableFuture<MasqueClient.Flow> response = new CompletableFuture<>();
    protected volatile int status;
    protected volatile Fields headers = Fields.EMPTY;

    /** A DATAGRAM capsule carrying {@code payload} with context ID 0. */
    static byte[] datagram(byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(Capsule.datagramLength(DatagramPayload.UDP_PAYLOAD_CONTEXT,
                payload.length));
        Capsule.writeDatagram(out, DatagramPayload.UDP_PAYLOAD_CONTEXT, ByteBuffer.wrap(payload));
        return out.array();
    }

    /** One capsule of any type, encoded. */
    static byte[] capsule(long type, byte[] value) {
        return new Capsule(type, ByteBuffer.wrap(value)).encode().array();
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public Fields headers() {
        return headers;
    }

    @Override
    public void send(byte[] payload) throws Exception {
        sendRaw(datagram(payload));
    }

    @Override
    public void sendCapsule(long type, byte[] value) throws Exception {
        sendRaw(capsule(type, value));
    }

    @Override
    public byte[] receive(Duration timeout) throws Exception {
        return received.receive(timeout);
    }

    @Override
    public boolean awaitClosed(Duration timeout) throws Exception {
        return received.awaitClosed(timeout);
    }
}
