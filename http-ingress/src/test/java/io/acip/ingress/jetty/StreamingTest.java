package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Nothing is buffered whole: content flows as it comes, both ways, with trailers where the protocol allows. */
class StreamingTest extends IngressFixture {
    private static final long UPLOAD = 256L << 20;

    private String url(HttpClient.Version version, String path) {
        return version == HttpClient.Version.HTTP_2 ? tlsUrl(path) : cleartextUrl(path);
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void firstChunkArrivesBeforeTheHandlerSendsTheSecond(HttpClient.Version version) throws Exception {
        handler.secondChunk = new CompletableFuture<>();
        HttpResponse<InputStream> r = jdkClient(version).send(HttpRequest.newBuilder(URI.create(url(version,
                "/stream"))).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        try (InputStream body = r.body()) {
            // The handler holds "second" until the test has read "first": buffering would deadlock here.
            assertEquals("first", new String(body.readNBytes(5), StandardCharsets.US_ASCII));
            handler.releaseSecond();
            assertEquals("second", new String(body.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void a256MibUploadStreamsThroughInSmallChunks(HttpClient.Version version) throws Exception {
        TestHandler.Upload upload = handler.upload;
        upload.reset();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(version, "/upload")))
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new CountingZeros(UPLOAD, upload)), UPLOAD)).build();
        HttpResponse<String> r = jdkClient(version).send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(UPLOAD + " " + upload.chunks.get(), r.body());
        assertTrue(upload.chunks.get() >= 256, "chunks: " + upload.chunks.get());
        assertTrue(upload.maxChunk.get() <= 1 << 20, "largest chunk " + upload.maxChunk.get());
        // Each chunk was released before the next was read: the handler never held more than one.
        assertEquals(upload.maxChunk.get(), upload.maxHeld.get());
        // The client was never far ahead of the handler: socket buffers and flow-control windows, no more.
        assertTrue(upload.maxLead.get() < 32L << 20, "client ran ahead by " + upload.maxLead.get());
    }

    @Test
    void trailersBothWaysOverHttp2() throws Exception {
        try (H2Peer peer = new H2Peer(server.cleartextPort())) {
            H2Peer.Exchange exchange = peer.open(new MetaData.Request("POST",
                    HttpURI.from("http://127.0.0.1:" + server.cleartextPort() + "/echo/trailers"), HttpVersion.HTTP_2,
                    HttpFields.build().add("content-type", "text/plain")), false);
            exchange.data("hello", false).get(10, TimeUnit.SECONDS);
            exchange.trailers(HttpFields.build().add("x-checksum", "abc")).get(10, TimeUnit.SECONDS);
            assertEquals(200, exchange.response.get(10, TimeUnit.SECONDS).getStatus());
            HttpFields trailers = exchange.trailers.get(10, TimeUnit.SECONDS);
            assertEquals("abc", trailers.get("x-checksum"));
            assertEquals("done", trailers.get("x-server-trailer"));
            assertEquals("hello", exchange.ended.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void http11TrailersOnlyToAnAgentThatAcceptsThem() throws Exception {
        String request = "POST /echo/trailers HTTP/1.1\r\nHost: x\r\n%sTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n5\r\nhello\r\n0\r\nx-checksum: abc\r\n\r\n";
        try (RawHttp1 agent = new RawHttp1(server.cleartextPort())) {
            String response = agent.send(String.format(request, "TE: trailers\r\n")).readToEnd();
            assertTrue(response.contains("\r\n\r\n5\r\nhello\r\n"), response);
            assertTrue(response.endsWith("\r\n0\r\nx-checksum: abc\r\nx-server-trailer: done\r\n\r\n"), response);
        }
        long dropped = server.counters().get("ingress.response.trailers_dropped");
        try (RawHttp1 agent = new RawHttp1(server.cleartextPort())) {
            String response = agent.send(String.format(request, "")).readToEnd();
            // Jetty frames this one by closing the connection (the agent asked for close): either way, no trailer.
            assertTrue(response.endsWith("\r\n\r\nhello") || response.endsWith("hello\r\n0\r\n\r\n"), response);
            assertTrue(!response.contains("x-checksum"), response);
        }
        assertEquals(dropped + 1, server.counters().get("ingress.response.trailers_dropped"));
    }

    /** An endless-looking body made on the fly, counting how far the client got. */
    private static final class CountingZeros extends InputStream {
        private final TestHandler.Upload upload;
        private long left;

        CountingZeros(long length, TestHandler.Upload upload) {
            this.left = length;
            this.upload = upload;
        }

        @Override
        public int read() {
            if (left == 0) return -1;
            left--;
            upload.clientSent.incrementAndGet();
            return 'z';
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) return -1;
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 'z');
            left -= n;
            upload.clientSent.addAndGet(n);
            return n;
        }
    }
}
