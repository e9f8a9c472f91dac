package io.acip.ingress.jetty;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.UdpFlow;
import io.acip.ingress.UdpFlowListener;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A CONNECT-UDP request on HTTP/1.1 or HTTP/2 as the handler sees it. The first answer wins, from any thread; after
 * {@link #accept} the flow's datagrams travel through the {@link CapsuleFlowConnection} made for it.
 */
final class JettyUdpFlow implements UdpFlow {
    private final ConnectRequest request;
    private final String httpVersion;
    private final Answers answers;
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile CapsuleFlowConnection connection;

    JettyUdpFlow(ConnectRequest request, String httpVersion, Answers answers) {
        this.request = request;
        this.httpVersion = httpVersion;
        this.answers = answers;
    }

    /** How the listener answers the request underneath. */
    interface Answers {
        /** The connection that will carry the flow once Jetty installs it. */
        CapsuleFlowConnection connection(UdpFlowListener listener);

        /** Answers 101 / 200 with {@code connection} as the request's upgrade connection. */
        void accept(CapsuleFlowConnection connection);

        void refuse(HttpFailure failure);
    }

    @Override
    public ConnectRequest request() {
        return request;
    }

    @Override
    public String httpVersion() {
        return httpVersion;
    }

    @Override
    public void accept(UdpFlowListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("this CONNECT-UDP request was answered already");
        }
        CapsuleFlowConnection c = answers.connection(listener);
        connection = c; // before the answer: datagrams may reach the listener, and it may send, at once
        answers.accept(c);
    }

    /** A refusal after the answer is ignored: the first answer stands. */
    @Override
    public void refuse(HttpFailure failure) {
        if (answered.compareAndSet(false, true)) answers.refuse(Objects.requireNonNull(failure, "failure"));
    }

    @Override
    public boolean send(ByteBuffer payload) {
        CapsuleFlowConnection c = connection;
        return c != null && c.send(payload);
    }

    /** Before an answer, closing refuses: the agent must get a response. */
    @Override
    public void close(Throwable cause) {
        CapsuleFlowConnection c = connection;
        if (c != null) {
            c.close(cause);
        } else {
            refuse(new HttpFailure(500, ProxyErrorType.PROXY_INTERNAL_ERROR,
                    "the gateway gave up on this CONNECT-UDP request"));
        }
    }

    @Override
    public int maxPayload() {
        return CapsuleFlowConnection.MAX_PAYLOAD;
    }
}
