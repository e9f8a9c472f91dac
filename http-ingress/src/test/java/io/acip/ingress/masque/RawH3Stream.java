package io.acip.ingress.masque;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tech.kwik.flupke.HttpStream;
import tech.kwik.flupke.impl.DataFrame;
import tech.kwik.qpack.Decoder;
import tech.kwik.qpack.Encoder;

/**
 * One HTTP/3 request stream driven frame by frame (RFC 9114 §7): HEADERS encoded with Kwik's QPACK (static table
 * only), DATA frames by Flupke. A reader thread turns what the server sends into {@link Frame}s.
 */
public final class RawH3Stream implements AutoCloseable {
    private static final long HEADERS = 0x01;
    private static final long DATA = 0x00;

    private final HttpStream stream;
    private final OutputStream out;
    private final Encoder encoder = Encoder.newBuilder().build();
    private final Decoder decoder = Decoder.newBuilder().build();
    private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private volatile boolean stopped;

    /** What came from the server: HEADERS (decoded lines), DATA, the stream's end, or its failure (reset). */
    public sealed interface Frame {
    }

    public record Headers(List<Map.Entry<String, String>> lines) implements Frame {
        public String get(String name) {
            for (Map.Entry<String, String> e : lines) {
                if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
            }
            return null;
        }

        public int status() {
            String s = get(":status");
            return s == null ? -1 : Integer.parseInt(s);
        }
    }

    public record Data(byte[] bytes) implements Frame {
    }

    public record End() implements Frame {
    }

    public record Failed(IOException cause) implements Frame {
    }

    RawH3Stream(HttpStream stream) {
        this.stream = stream;
        this.out = stream.getOutputStream();
        Thread reader = new Thread(this::read, "h3-stream-" + stream.getStreamId());
        reader.setDaemon(true);
        reader.start();
    }

    public long streamId() {
        return stream.getStreamId();
    }

    /** Header lines in the order given (pseudo-fields first, as the caller lists them). */
    public static List<Map.Entry<String, String>> lines(String... namesAndValues) {
        List<Map.Entry<String, String>> lines = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            lines.add(new AbstractMap.SimpleImmutableEntry<>(namesAndValues[i], namesAndValues[i + 1]));
        }
        return lines;
    }

    public synchronized void headers(List<Map.Entry<String, String>> lines) throws IOException {
        ByteBuffer block = encoder.compressHeaders(lines);
        if (block.position() > 0) block.flip(); // Kwik's encoder returns the block written, not flipped
        byte[] payload = new byte[block.remaining()];
        block.get(payload);
        writeFrame(HEADERS, payload);
    }

    public synchronized void data(byte[] bytes) throws IOException {
        send(new DataFrame(bytes).toBytes());
    }

    /** Bytes as they are, outside any frame (for broken framing). */
    public synchronized void raw(byte[] bytes) throws IOException {
        send(bytes);
    }

    /** Whether the server sent STOP_SENDING (it answered without wanting the rest): later writes are dropped. */
    public boolean stopped() {
        return stopped;
    }

    private void send(byte[] bytes) throws IOException {
        if (stopped) return;
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // Kwik reports the server's STOP_SENDING as a reset output stream; the response is still readable.
            if (e.getMessage() == null || !e.getMessage().contains("reset")) throw e;
            stopped = true;
        }
    }

    /** FIN. */
    public synchronized void finish() throws IOException {
        if (stopped) return;
        try {
            out.close();
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().contains("reset")) throw e;
            stopped = true;
        }
    }

    public void reset(long errorCode) {
        stream.resetStream(errorCode);
    }

    /** The next frame, or null after {@code timeout}. */
    public Frame next(Duration timeout) throws InterruptedException {
        return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next HEADERS frame, skipping nothing else: fails on anything but HEADERS. */
    public Headers nextHeaders(Duration timeout) throws InterruptedException, IOException {
        Frame f = next(timeout);
        if (f instanceof Headers h) return h;
        throw new IOException("expected HEADERS, got " + f);
    }

    /** The final response head, after any 1xx. */
    public Headers responseHead(Duration timeout, List<Headers> interim) throws InterruptedException, IOException {
        while (true) {
            Headers h = nextHeaders(timeout);
            if (h.status() >= 200) return h;
            if (interim != null) interim.add(h);
        }
    }

    /** A whole response after its head: content and trailers, to the stream's end. */
    public record Rest(byte[] body, Headers trailers, boolean clean) {
    }

    public Rest rest(Duration timeout) throws InterruptedException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Headers trailers = null;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame f = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (f == null || f instanceof Failed) return new Rest(body.toByteArray(), trailers, false);
            if (f instanceof End) return new Rest(body.toByteArray(), trailers, true);
            if (f instanceof Data d) body.writeBytes(d.bytes());
            if (f instanceof Headers h) trailers = h;
        }
    }

    private void writeFrame(long type, byte[] payload) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeVarInt(b, type);
        writeVarInt(b, payload.length);
        b.writeBytes(payload);
        send(b.toByteArray());
    }

    private void read() {
        InputStream in = stream.getInputStream();
        try {
            while (true) {
                long type = readVarInt(in);
                if (type < 0) {
                    frames.add(new End());
                    return;
                }
                long length = readVarInt(in);
                if (length < 0) throw new IOException("stream ended inside a frame header");
                byte[] payload = in.readNBytes((int) length);
                if (payload.length < length) throw new IOException("stream ended inside a frame");
                if (type == HEADERS) {
                    frames.add(new Headers(decoder.decodeStream(new java.io.ByteArrayInputStream(payload))));
                } else if (type == DATA) {
                    frames.add(new Data(payload));
                } // other frame types are skipped (RFC 9114 §9)
            }
        } catch (IOException e) {
            frames.add(new Failed(e));
        }
    }

    static void writeVarInt(ByteArrayOutputStream b, long v) {
        if (v < 0x40) {
            b.write((int) v);
        } else if (v < 0x4000) {
            b.write((int) (0x40 | (v >> 8)));
            b.write((int) v & 0xff);
        } else if (v < 0x4000_0000L) {
            for (int i = 3; i >= 0; i--) b.write((int) ((i == 3 ? 0x80L << 24 | v : v) >> (8 * i)) & 0xff);
        } else {
            for (int i = 7; i >= 0; i--) b.write((int) ((i == 7 ? 0xC0L << 56 | v : v) >> (8 * i)) & 0xff);
        }
    }

    /** -1 at a clean end of stream before the first byte. */
    private static long readVarInt(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) return -1;
        int len = 1 << (first >>> 6);
        long v = first & 0x3f;
        for (int i = 1; i < len; i++) {
            int b = in.read();
            if (b < 0) throw new IOException("stream ended inside a varint");
            v = (v << 8) | b;
        }
        return v;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // already closed or reset
        }
    }
}
