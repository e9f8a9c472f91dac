package io.acip.ingress.masque;

import io.acip.capsule.CapsuleListener;
import io.acip.capsule.CapsuleParser;
import io.acip.capsule.CodecException;
import io.acip.capsule.VarInt;
import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * CONNECT-UDP over HTTP/3 (RFC 9298, RFC 9220 extended CONNECT) from Kwik + Flupke: the request and capsules go on a
 * request stream, UDP payloads as QUIC DATAGRAM frames (HTTP Datagrams, RFC 9297 §2.1), which Kwik exposes.
 * The {@code :path} is sent exactly as given ({@code %3A} stays {@code %3A}).
 */
public final class Http3MasqueClient implements MasqueClient {
    private final KwikH3Connection connection;

    private Http3MasqueClient(KwikH3Connection connection) {
        this.connection = connection;
    }

    /** Connects to the HTTP/3 listener at {@code listener}, trusting certificates issued by {@code ca}. */
    public static Http3MasqueClient connect(InetSocketAddress listener, X509Certificate ca) throws IOException {
        return new Http3MasqueClient(KwikH3Connection.connect(listener, ca, true));
    }

    /** The underlying connection, for raw DATAGRAMs and the way it ended. */
    public KwikH3Connection connection() {
        return connection;
    }

    @Override
    public String httpVersion() {
        return "HTTP/3";
    }

    @Override
    public Flow open(String authority, String pathAndQuery, Fields extraHeaders, boolean capsuleProtocol,
                     Duration timeout) throws Exception {
        H3Flow flow = start(authority, pathAndQuery, extraHeaders, capsuleProtocol);
        flow.awaitHead(timeout);
        return flow;
    }

    /** Sends the request and returns at once: datagrams may be sent before the response head arrives. */
    public H3Flow start(String authority, String pathAndQuery, Fields extraHeaders, boolean capsuleProtocol)
            throws IOException {
        RawH3Stream stream = connection.openStream();
        H3Flow flow = new H3Flow(stream);
        connection.routeDatagrams(stream.streamId() / 4, flow::onQuicDatagram);
        List<Map.Entry<String, String>> lines = RawH3Stream.lines(":method", "CONNECT", ":protocol", "connect-udp",
                ":scheme", "https", ":authority", authority, ":path", pathAndQuery);
        if (capsuleProtocol) lines.addAll(RawH3Stream.lines("capsule-protocol", "?1"));
        for (Field f : extraHeaders.lines()) lines.addAll(RawH3Stream.lines(f.name(), f.value()));
        stream.headers(lines);
        return flow;
    }

    @Override
    public void close() {
        connection.close();
    }

    /** One CONNECT-UDP request stream. */
    public final class H3Flow implements Flow, CapsuleListener {
        private final RawH3Stream stream;
        private final long quarterStreamId;
        private final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        private final CapsuleParser capsules = new CapsuleParser(1 << 20, this);
        private final List<Long> otherCapsules = new ArrayList<>();
        private int status = -1;
        private Fields headers = Fields.EMPTY;
        private byte[] body = new byte[0];
        private volatile boolean closed;
        private final Object closedSignal = new Object();

        H3Flow(RawH3Stream stream) {
            this.stream = stream;
            this.quarterStreamId = stream.streamId() / 4;
        }

        public long streamId() {
            return stream.streamId();
        }

        /** Waits for the response head; on a refusal also reads the body to its end. */
        public void awaitHead(Duration timeout) throws Exception {
            RawH3Stream.Headers head = stream.responseHead(timeout, null);
            status = head.status();
            List<Field> lines = new ArrayList<>();
            for (Map.Entry<String, String> e : head.lines()) {
                if (!e.getKey().startsWith(":")) lines.add(new Field(e.getKey().toLowerCase(), e.getValue()));
            }
            headers = new Fields(lines);
            if (status / 100 != 2) {
                RawH3Stream.Rest rest = stream.rest(timeout);
                body = rest.body();
                markClosed();
                return;
            }
            Thread pump = new Thread(this::pump, "h3-capsules-" + stream.streamId());
            pump.setDaemon(true);
            pump.start();
        }

        private void pump() {
            try {
                while (true) {
                    RawH3Stream.Frame f = stream.next(Duration.ofDays(1));
                    if (f instanceof RawH3Stream.Data d) {
                        capsules.feed(ByteBuffer.wrap(d.bytes()));
                    } else if (f instanceof RawH3Stream.End || f instanceof RawH3Stream.Failed || f == null) {
                        markClosed();
                        return;
                    }
                }
            } catch (InterruptedException | CodecException e) {
                markClosed();
            }
        }

        private void markClosed() {
            synchronized (closedSignal) {
                closed = true;
                closedSignal.notifyAll();
            }
        }

        void onQuicDatagram(byte[] datagram) {
            ByteBuffer b = ByteBuffer.wrap(datagram);
            VarInt.tryRead(b); // quarter stream ID, already matched
            long context = VarInt.tryRead(b);
            if (context != 0) return;
            byte[] payload = new byte[b.remaining()];
            b.get(payload);
            received.add(payload);
        }

        @Override
        public void onCapsule(long type, ByteBuffer value) {
            long context = VarInt.tryRead(value);
            if (context != 0) return;
            byte[] payload = new byte[value.remaining()];
            value.get(payload);
            received.add(payload);
        }

        @Override
        public void onSkipped(long type, long length) {
            otherCapsules.add(type);
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
        public byte[] body() {
            return body;
        }

        @Override
        public void send(byte[] payload) {
            byte[] datagram = new byte[VarInt.length(quarterStreamId) + 1 + payload.length];
            int at = VarInt.write(datagram, 0, quarterStreamId);
            at = VarInt.write(datagram, at, 0);
            System.arraycopy(payload, 0, datagram, at, payload.length);
            connection.sendDatagram(datagram);
        }

        /** Sends a QUIC DATAGRAM for this stream with another context ID. */
        public void sendWithContext(long contextId, byte[] payload) {
            ByteBuffer d = ByteBuffer.allocate(VarInt.length(quarterStreamId) + VarInt.length(contextId)
                    + payload.length);
            VarInt.write(d, quarterStreamId);
            VarInt.write(d, contextId);
            d.put(payload);
            connection.sendDatagram(d.array());
        }

        @Override
        public void sendCapsule(long type, byte[] value) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            RawH3Stream.writeVarInt(b, type);
            RawH3Stream.writeVarInt(b, value.length);
            b.writeBytes(value);
            stream.data(b.toByteArray());
        }

        @Override
        public void sendRaw(byte[] bytes) throws IOException {
            stream.data(bytes);
        }

        @Override
        public byte[] receive(Duration timeout) throws InterruptedException {
            return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public boolean awaitClosed(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (closedSignal) {
                while (!closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return connection.terminated().isDone();
                    TimeUnit.NANOSECONDS.timedWait(closedSignal, left);
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            stream.finish();
        }
    }
}
