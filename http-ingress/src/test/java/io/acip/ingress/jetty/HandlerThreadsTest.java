package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.ingress.Exchange;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.TestExchanges;
import io.acip.ingress.Tunnel;
import io.acip.ingress.TunnelDecision;
import io.acip.ingress.ConnectRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where the handler runs: inline where the request was read when it says it never blocks, on the listeners' pool
 * when it may. A handler that blocks for one request must not hold up another connection's.
 */
@Timeout(60)
class HandlerThreadsTest {
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowReleased = new CountDownLatch(1);
    private IngressServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Blocks on "/slow" (and says so); answers anything else at once. */
    private final class Handler implements IngressHandler {
        @Override
        public boolean mayBlock(RequestInfo request) {
            return request.path().startsWith("/slow");
        }

        @Override
        public void onExchange(Exchange exchange) {
            if (exchange.request().path().startsWith("/slow")) {
                slowEntered.countDown();
                try {
                    assertTrue(slowReleased.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            TestExchanges.serve(exchange);
        }

        @Override
        public TunnelDecision onConnect(ConnectRequest request) {
            return new TunnelDecision.Refuse(TestExchanges.FAILURE);
        }

        @Override
        public void onTunnel(Tunnel tunnel) {
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new IngressServer(IngressConfig.builder("gw").cleartext(new InetSocketAddress("127.0.0.1", 0))
                .stopTimeout(Duration.ofSeconds(5)).build(), new Handler());
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        slowReleased.countDown();
        server.stop();
    }

    private CompletableFuture<HttpResponse<String>> get(String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.cleartextPort() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aHandlerThatBlocksHoldsUpNoOtherConnection() throws Exception {
        CompletableFuture<HttpResponse<String>> slow = get("/slow");
        assertTrue(slowEntered.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 3; i++) { // fresh connections while the slow one's handler still waits
            HttpClient other = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> fast = other.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.cleartextPort() + "/fast/" + i)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, fast.statusCode());
        }
        assertFalse(slow.isDone(), "the slow handler still waits");
        slowReleased.countDown();
        assertEquals(200, slow.get(10, TimeUnit.SECONDS).statusCode());
    }
}
