package io.acip.gateway.udp;

import io.acip.capsule.bhttp.Fields;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.UdpFlow;
import io.acip.ingress.UdpFlowListener;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link UdpFlow} as a listener would hand it over, for driving the gateway without HTTP: it records the answer,
 * the payloads sent to the agent and how the gateway ended the flow, and plays the agent's side (payloads sent
 * before the answer are held and delivered on accept, like a listener does).
 */
final class TestUdpFlow implements UdpFlow {
    private final ConnectRequest request;
    private final int maxPayload;
    private final CompletableFuture<Object> answer = new CompletableFuture<>(); // listener or HttpFailure
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Optional<Throwable>> closedByGateway = new CompletableFuture<>();
    private final List<byte[]> held = new ArrayList<>();
    final AtomicInteger answers = new AtomicInteger();
    private volatile UdpFlowListener listener;
    private volatile boolean agentClosed;

    TestUdpFlow(String host, int port) {
        this(host, port, 65_527);
    }

    TestUdpFlow(String host, int port, int maxPayload) {
        this.request = new ConnectRequest(host, port, Fields.EMPTY, "connect-udp", new InetSocketAddress("127.0.0.1", 50000));
        this.maxPayload = maxPayload;
    }

    @Override
    public ConnectRequest request() {
        return request;
    }

    @Override
    public String httpVersion() {
        return "HTTP/2";
    }

    @Override
    public void accept(UdpFlowListener l) {
        answers.incrementAndGet();
        List<byte[]> early;
        synchronized (this) {
            listener = l;
            early = List.copyOf(held);
            held.clear();
        }
        for (byte[] p : early) l.onDatagram(ByteBuffer.wrap(p));
        answer.complete(l);
    }

    @Override
    public void refuse(HttpFailure failure) {
        answers.incrementAndGet();
        answer.complete(failure);
    }

    @Override
    public boolean send(ByteBuffer payload) {
        if (payload.remaining() > maxPayload || closedByGateway.isDone() || agentClosed) return false;
        byte[] copy = new byte[payload.remaining()];
        payload.get(copy);
        received.add(copy);
        return true;
    }

    @Override
    public void close(Throwable cause) {
        closedByGateway.complete(Optional.ofNullable(cause));
    }

    @Override
    public int maxPayload() {
        return maxPayload;
    }

    // ---- the agent's side

    /** Sends a payload toward the target; held until the answer, like a listener holds early datagrams. */
    void agentSends(byte[] payload) {
        UdpFlowListener l;
        synchronized (this) {
            l = listener;
            if (l == null) {
                held.add(payload.clone());
                return;
            }
        }
        l.onDatagram(ByteBuffer.wrap(payload));
    }

    void agentCloses() {
        agentClosed = true;
        listener.onClose(null);
    }

    /** The answer: true once accepted; fails the test with the refusal otherwise. */
    boolean awaitAccepted() throws Exception {
        Object a = answer.get(20, TimeUnit.SECONDS);
        if (a instanceof HttpFailure f) throw new AssertionError("refused: " + f);
        return true;
    }

    HttpFailure awaitRefused() throws Exception {
        Object a = answer.get(20, TimeUnit.SECONDS);
        if (a instanceof HttpFailure f) return f;
        throw new AssertionError("accepted, expected a refusal");
    }

    byte[] receive(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How the gateway ended the flow: empty for a clean end, else the cause. */
    Optional<Throwable> awaitClosed(Duration timeout) throws Exception {
        return closedByGateway.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean closed() {
        return closedByGateway.isDone();
    }
}
