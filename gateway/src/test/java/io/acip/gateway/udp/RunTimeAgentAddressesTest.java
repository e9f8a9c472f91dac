package io.acip.gateway.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.acip.gateway.attach.CheckedAddresses;
import io.acip.gateway.attach.RegistrationDocument;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run-time agent is reached at the addresses admin.attach_allowed checked, never at a new lookup's (DNS rebinding):
 * its origin's name ({@code pinned.invalid}, which no resolver answers) was checked as loopback, and HTTP exchanges,
 * CONNECT byte tunnels and UDP flows across edge, transit and far all get there.
 */
class RunTimeAgentAddressesTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static java.nio.file.Path dir;
    static FakeDnsServer dns;
    static UdpFabric fabric;
    static HttpServer origin;

    @BeforeAll
    static void start() throws Exception {
        dns = new FakeDnsServer();
        fabric = new UdpFabric(dir, dns);
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/", ex -> {
            byte[] body = ("pinned " + ex.getRequestURI().getPath() + "\n").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Connection", "close");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        origin.start();
        String doc = "{\"agent\":\"rebinder\",\"origin\":\"http://pinned.invalid:" + origin.getAddress().getPort()
                + "\",\"udp\":\"pinned.invalid:" + fabric.echo.address().getPort() + "\","
                + "\"skills\":[{\"name\":\"test/pinned\",\"tunnel\":\"tcp\"}]}";
        fabric.far.agents().attachRegistered(RegistrationDocument.parse(doc.getBytes(StandardCharsets.UTF_8)),
                new CheckedAddresses(Map.of("pinned.invalid", List.of(InetAddress.getLoopbackAddress()))), "test");
    }

    @AfterAll
    static void stop() throws Exception {
        if (origin != null) origin.stop(0);
        fabric.close();
        dns.close();
    }

    @Test
    void httpExchangesGoToTheCheckedAddress() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", fabric.edge.httpPorts()[0]))).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://pinned.test.acip/over-http"))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("pinned /over-http\n", r.body());
    }

    @Test
    void byteTunnelsGoToTheCheckedAddress() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), fabric.edge.httpPorts()[0])) {
            s.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = s.getOutputStream();
            out.write("CONNECT pinned.test.acip:80 HTTP/1.1\r\nHost: pinned.test.acip:80\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = head(in);
            assertTrue(head.startsWith("HTTP/1.1 200 "), head);
            out.write("GET /over-a-tunnel HTTP/1.1\r\nHost: pinned.invalid\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 200 ") && answer.endsWith("pinned /over-a-tunnel\n"), answer);
        }
    }

    @Test
    void udpFlowsGoToTheCheckedAddress() throws Exception {
        TestUdpFlow flow = new TestUdpFlow("pinned.test.acip", 443);
        fabric.handler().onConnectUdp(flow);
        assertTrue(flow.awaitAccepted());
        byte[] payload = "over udp".getBytes(StandardCharsets.US_ASCII);
        flow.agentSends(payload);
        assertArrayEquals(payload, flow.receive(WAIT));
        flow.agentCloses();
    }

    private static String head(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while (head.indexOf("\r\n\r\n") < 0 && (b = in.read()) >= 0) head.append((char) b);
        return head.toString();
    }
}
