package io.acip.gateway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EchoAgentTest extends RunningDemoAgents {
    @Test
    void echoesMethodPathQueryAndHeaders() throws Exception {
        HttpResponse<String> r = client.send(client.request("/any/where%20else?x=1&y=a%20b")
                .header("X-Multi", "one").header("X-Multi", "two").header("X-Single", "v").GET().build());

        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        JsonNode echo = DemoClient.json(r);
        assertEquals("GET", echo.get("method").asText());
        assertEquals("/any/where%20else", echo.get("path").asText());
        assertEquals("x=1&y=a%20b", echo.get("query").asText());
        assertEquals("one, two", echo.get("headers").get("x-multi").asText());
        assertEquals("v", echo.get("headers").get("x-single").asText());
        assertEquals(0, echo.get("bodyLength").asLong());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                echo.get("bodySha256").asText());
        assertTrue(echo.get("headers").has("host"));
    }

    @Test
    void noQueryIsNull() throws Exception {
        JsonNode echo = DemoClient.json(client.send(client.request("/").GET().build()));
        assertTrue(echo.get("query").isNull());
    }

    @Test
    void hashesAStreamedBodyOfAnySize() throws Exception {
        long size = 32L << 20;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        HttpRequest request = client.request("/upload").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Pattern(size))).build();
        new Pattern(size).transferTo(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                expected.update((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                expected.update(b, off, len);
            }
        });

        JsonNode echo = DemoClient.json(client.send(request));

        assertEquals("POST", echo.get("method").asText());
        assertEquals(size, echo.get("bodyLength").asLong());
        assertEquals(HexFormat.of().formatHex(expected.digest()), echo.get("bodySha256").asText());
        assertEquals("chunked", echo.get("headers").get("transfer-encoding").asText());
    }

    @Test
    void answersOverH2c() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        // The JDK client reaches h2c through an HTTP/1.1 Upgrade; the first request goes over HTTP/1.1 if the
        // upgrade is refused, so a second request shows which protocol the connection settled on.
        h2.send(client.request("/warm-up").GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> r = h2.send(client.request("/h2").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertEquals("/h2", DemoClient.json(r).get("path").asText());
    }

    /** {@code size} bytes of a repeating pattern, made as read. */
    private static final class Pattern extends InputStream {
        private final long size;
        private long pos;

        Pattern(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return pos < size ? (int) (pos++ * 31 & 0xFF) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) return -1;
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) b[off + i] = (byte) (pos++ * 31);
            return n;
        }
    }
}
