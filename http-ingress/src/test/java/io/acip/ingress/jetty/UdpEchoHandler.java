package io.acip.ingress.jetty;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.Exchange;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.Tunnel;
import io.acip.ingress.TunnelDecision;
import io.acip.ingress.UdpFlow;
import io.acip.ingress.UdpFlowListener;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The tests' gateway for CONNECT-UDP: accepts flows and echoes each datagram back, except by target host:
 * <ul>
 *   <li>{@code blocked.example}: refused, 403 {@code destination_ip_prohibited}</li>
 *   <li>{@code later.example}: accepted on another thread once {@link #releaseLater} is called</li>
 *   <li>{@code quiet.example}: accepted, nothing echoed (the test drives {@link Accepted#flow} itself)</li>
 * </ul>
 * Every flow seen is queued in {@link #flows}, with how it ended. Exchanges and CONNECTs go to a {@link TestHandler}.
 */
final class UdpEchoHandler implements IngressHandler {
    static final HttpFailure BLOCKED = new HttpFailure(403, ProxyErrorType.DESTINATION_IP_PROHIBITED,
            "192.0.2.1 is not an allowed destination");

    final TestHandler http = new TestHandler();
    final BlockingQueue<Accepted> flows = new LinkedBlockingQueue<>();
    volatile CompletableFuture<Void> later = new CompletableFuture<>();

    void releaseLater() {
        later.complete(null);
    }

    /** The next flow the handler saw, waiting up to 10 s. */
    Accepted next() throws InterruptedException {
        Accepted a = flows.poll(10, TimeUnit.SECONDS);
        if (a == null) throw new AssertionError("no CONNECT-UDP request reached the handler");
        return a;
    }

    @Override
    public void onConnectUdp(UdpFlow flow) {
        Accepted accepted = new Accepted(flow);
        switch (flow.request().host()) {
            case "blocked.example" -> flow.refuse(BLOCKED);
            case "later.example" -> {
                flows.add(accepted); // the test releases the answer once it saw the request
                later.thenRunAsync(() -> flow.accept(accepted));
                return;
            }
            case "quiet.example" -> {
                accepted.echo = false;
                flow.accept(accepted);
            }
            default -> flow.accept(accepted);
        }
        flows.add(accepted); // answered: the test may use the flow at once
    }

    @Override
    public void onExchange(Exchange exchange) {
        http.onExchange(exchange);
    }

    @Override
    public TunnelDecision onConnect(ConnectRequest request) {
        return http.onConnect(request);
    }

    @Override
    public void onTunnel(Tunnel tunnel) {
        http.onTunnel(tunnel);
    }

    /** One flow and what its listener heard. */
    static final class Accepted implements UdpFlowListener {
        final UdpFlow flow;
        final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();
        volatile boolean echo = true;

        Accepted(UdpFlow flow) {
            this.flow = flow;
        }

        @Override
        public void onDatagram(ByteBuffer payload) {
            byte[] copy = new byte[payload.remaining()];
            payload.get(copy);
            received.add(copy);
            if (echo) flow.send(ByteBuffer.wrap(copy));
        }

        @Override
        public void onClose(Throwable cause) {
            if (!closed.complete(Optional.ofNullable(cause))) {
                closed.obtrudeException(new AssertionError("onClose called twice"));
            }
        }

        /** How the flow ended from below: empty for a clean end by the agent. */
        Optional<Throwable> awaitClosed() throws Exception {
            return closed.get(10, TimeUnit.SECONDS);
        }
    }
}
