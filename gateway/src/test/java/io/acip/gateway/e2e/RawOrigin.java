package io.acip.gateway.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 origin on a plain socket that records each request head byte for byte (what a proxy put on the wire,
 * framing fields included) and answers every request with the response it is given, then closes.
 */
final class RawOrigin implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final BlockingQueue<String> heads = new LinkedBlockingQueue<>();
    private volatile String response = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok";

    RawOrigin() throws IOException {
        Thread t = new Thread(this::accept, "raw-origin");
        t.setDaemon(true);
        t.start();
    }

    String uri() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    RawOrigin answer(String response) {
        this.response = response;
        return this;
    }

    /** The next request head the origin received (request line and fields, CRLFs kept), or fails after 10 s. */
    String nextHead() throws InterruptedException {
        String h = heads.poll(10, TimeUnit.SECONDS);
        if (h == null) throw new AssertionError("no request reached the origin");
        return h;
    }

    /** Whether no request reached the origin (waits briefly: the request may still be on its way). */
    boolean noneWithin(long millis) throws InterruptedException {
        return heads.poll(millis, TimeUnit.MILLISECONDS) == null;
    }

    private void accept() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                int matched = 0;
                int b;
                while (matched < 4 && (b = in.read()) >= 0) {
                    head.write(b);
                    matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : 0;
                }
                heads.add(head.toString(StandardCharsets.ISO_8859_1));
                OutputStream out = s.getOutputStream();
                out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                s.shutdownOutput();
                in.skip(Long.MAX_VALUE); // drain what the proxy still sends until it closes
            } catch (IOException e) {
                // the next connection is independent
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
