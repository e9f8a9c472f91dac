package io.acip.ingress.jetty;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.util.Callback;

/** An HTTP/2 client at frame level (Jetty's low-level API) over h2c prior knowledge: CONNECT streams, trailers. */
final class H2Peer implements AutoCloseable {
    private final HTTP2Client client = new HTTP2Client();
    private final Session session;

    H2Peer(int port) throws Exception {
        client.start();
        session = client.connect(new InetSocketAddress("127.0.0.1", port), new Session.Listener() { })
                .get(10, TimeUnit.SECONDS);
    }

    /** A plain CONNECT (RFC 9113 §8.5) to {@code authority}. */
    Exchange connect(String authority) throws Exception {
        return open(new MetaData.ConnectRequest((String) null, new HostPortHttpField(authority), null,
                HttpFields.EMPTY, null), false);
    }

    Exchange open(MetaData.Request request, boolean endStream) throws Exception {
        Exchange exchange = new Exchange();
        exchange.stream = session.newStream(new HeadersFrame(request, null, endStream), exchange)
                .get(10, TimeUnit.SECONDS);
        return exchange;
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the HTTP/2 client", e);
        }
    }

    /** One stream: its response head, received content, trailers, and how it ended. */
    static final class Exchange implements Stream.Listener {
        final CompletableFuture<MetaData.Response> response = new CompletableFuture<>();
        final CompletableFuture<HttpFields> trailers = new CompletableFuture<>();
        final CompletableFuture<String> ended = new CompletableFuture<>();
        final CompletableFuture<Integer> reset = new CompletableFuture<>();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private volatile Stream stream;

        CompletableFuture<Void> data(String text, boolean last) {
            return data(text.getBytes(StandardCharsets.ISO_8859_1), last);
        }

        CompletableFuture<Void> data(byte[] bytes, boolean last) {
            return stream.data(new DataFrame(stream.getId(), ByteBuffer.wrap(bytes), last)).thenApply(s -> null);
        }

        /** Waits for bytes beyond the first {@code seen}; returns them, or an empty array once the stream ended. */
        synchronized byte[] awaitMore(int seen) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (received.size() <= seen && !ended.isDone()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) throw new TimeoutException("no bytes after " + seen);
                wait(left);
            }
            byte[] all = received.toByteArray();
            return Arrays.copyOfRange(all, Math.min(seen, all.length), all.length);
        }

        CompletableFuture<Void> trailers(HttpFields fields) {
            return stream.headers(new HeadersFrame(stream.getId(),
                    new MetaData(HttpVersion.HTTP_2, fields), null, true)).thenApply(s -> null);
        }

        synchronized String receivedSoFar() {
            return received.toString(StandardCharsets.ISO_8859_1);
        }

        /** Waits (on the monitor, not a sleep) until at least {@code n} bytes came. */
        synchronized String awaitReceived(int n) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (received.size() < n) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) throw new TimeoutException("only " + received.size() + " of " + n + " bytes came");
                wait(left);
            }
            return receivedSoFar();
        }

        @Override
        public void onHeaders(Stream stream, HeadersFrame frame) {
            if (frame.getMetaData() instanceof MetaData.Response r) {
                response.complete(r);
            } else {
                trailers.complete(frame.getMetaData().getHttpFields());
            }
            if (frame.isEndStream()) ended.complete(receivedSoFar());
            stream.demand();
        }

        @Override
        public void onDataAvailable(Stream stream) {
            Stream.Data data = stream.readData();
            if (data == null) {
                stream.demand();
                return;
            }
            ByteBuffer buffer = data.frame().getByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            synchronized (this) {
                received.write(bytes, 0, bytes.length);
                notifyAll();
            }
            boolean end = data.frame().isEndStream();
            data.release();
            if (end) {
                ended.complete(receivedSoFar());
                synchronized (this) {
                    notifyAll();
                }
            } else {
                stream.demand();
            }
        }

        @Override
        public void onReset(Stream stream, ResetFrame frame, Callback callback) {
            reset.complete(frame.getError());
            ended.completeExceptionally(new IllegalStateException("stream reset: " + frame.getError()));
            synchronized (this) {
                notifyAll();
            }
            callback.succeeded();
        }
    }
}
