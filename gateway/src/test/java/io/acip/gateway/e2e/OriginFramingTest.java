package io.acip.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.gateway.config.GatewayConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the origin behind the far gateway receives, byte for byte: body framing only for requests that have a body,
 * and header sections up to the edge's limits; what is over them is refused with the status RFC 9209 names.
 */
class OriginFramingTest {
    @TempDir
    static Path dir;
    static RawOrigin origin;
    /** Answers with a large header section. */
    static RawOrigin big;
    static Fabric3 fabric;

    @BeforeAll
    static void start() throws Exception {
        origin = new RawOrigin();
        big = new RawOrigin();
        fabric = new Fabric3(dir, List.of(new GatewayConfig.Agent("raw", origin.uri(), false, false,
                List.of(new GatewayConfig.AgentSkill("test/raw", "", "", Map.of()))),
                new GatewayConfig.Agent("big", big.uri(), false, false,
                List.of(new GatewayConfig.AgentSkill("test/big", "", "", Map.of())))), false);
    }

    @AfterAll
    static void stop() throws Exception {
        fabric.close();
        origin.close();
        big.close();
    }

    private static Curl.Result curl(String... args) throws Exception {
        String[] all = new String[args.length + 3];
        all[0] = "-i";
        all[1] = "--connect-to";
        all[2] = "raw.test.acip:80:127.0.0.1:" + fabric.http();
        System.arraycopy(args, 0, all, 3, args.length);
        return Curl.run(all);
    }

    private static String field(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    @Test
    void aGetWithoutBodyHasNoBodyFramingAtTheOrigin() throws Exception {
        for (String version : List.of("--http1.1", "--http2-prior-knowledge")) {
            Curl.Result r = curl(version, "http://raw.test.acip/get");
            assertEquals(200, r.status(), version + " " + r.out() + r.err());
            String head = origin.nextHead();
            assertTrue(head.startsWith("GET /get HTTP/1.1\r\n"), head);
            assertEquals(null, field(head, "transfer-encoding"), version + ": " + head);
            assertEquals(null, field(head, "content-length"), version + ": " + head);
        }
    }

    @Test
    void aBodyKeepsItsFraming() throws Exception {
        Curl.Result sized = curl("--http2-prior-knowledge", "--data-binary", "hello", "http://raw.test.acip/post");
        assertEquals(200, sized.status(), sized.out());
        assertEquals("5", field(origin.nextHead(), "content-length"));
        Curl.Result streamed = curl("--http1.1", "-H", "Transfer-Encoding: chunked", "--data-binary", "hello",
                "http://raw.test.acip/up");
        assertEquals(200, streamed.status(), streamed.out());
        assertEquals("chunked", field(origin.nextHead(), "transfer-encoding"));
        // Content-Length: 0 is a body, of length zero: it stays as the agent said.
        Curl.Result empty = curl("--http1.1", "-X", "POST", "-H", "Content-Length: 0", "http://raw.test.acip/empty");
        assertEquals(200, empty.status(), empty.out());
        String head = origin.nextHead();
        assertEquals(null, field(head, "transfer-encoding"), head);
    }

    @Test
    void requestHeadersUpToTheEdgesLimitReachTheOrigin() throws Exception {
        // Just under 16 KiB with curl's own fields: the edge takes it, and so must the far gateway.
        int size = 16 * 1024 - 400;
        for (String version : List.of("--http1.1", "--http2-prior-knowledge")) {
            Path header = Files.writeString(dir.resolve("big.txt"), "x-big: " + "a".repeat(size) + "\r\n");
            Curl.Result r = curl(version, "-H", "@" + header, "http://raw.test.acip/big");
            assertEquals(200, r.status(), version + " " + r.out() + r.err());
            assertEquals(size, field(origin.nextHead(), "x-big").length());
        }
    }

    @Test
    void requestHeadersOverTheLimitAre431() throws Exception {
        Path header = Files.writeString(dir.resolve("huge.txt"), "x-big: " + "a".repeat(20 * 1024) + "\r\n");
        Curl.Result r = curl("--http1.1", "-H", "@" + header, "http://raw.test.acip/huge");
        assertEquals(431, r.status(), r.out() + r.err());
        assertTrue(origin.noneWithin(200));
    }

    @Test
    void responseHeadersOverTheLimitAre502() throws Exception {
        big.answer("HTTP/1.1 200 OK\r\nx-big: " + "b".repeat(20 * 1024)
                + "\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
        // Under the limit: passed on whole.
        Curl.Result ok = Curl.run("-i", "-x", fabric.proxy(), "http://big.test.acip/");
        assertEquals(200, ok.status(), ok.out() + ok.err());
        assertEquals(20 * 1024, ok.header("x-big").length());
        big.answer("HTTP/1.1 200 OK\r\nx-big: " + "b".repeat(40 * 1024)
                + "\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
        Curl.Result r = Curl.run("-i", "-x", fabric.proxy(), "http://big.test.acip/");
        assertEquals(502, r.status(), r.out() + r.err());
        assertTrue(r.header("proxy-status").contains("error=http_response_header_section_size"), r.out());
    }

    @Test
    void aChunkSizeOverflowIs400() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), fabric.http())) {
            s.getOutputStream().write(("POST http://raw.test.acip/overflow HTTP/1.1\r\nHost: raw.test.acip\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while (!got.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n") && (n = in.read(buf)) > 0) {
                got.write(buf, 0, n);
            }
            String answer = got.toString(StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertFalse(answer.contains("connection_terminated"), answer);
        }
    }
}
