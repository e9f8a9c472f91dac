package io.acip.gateway;

import io.acip.ingress.ConnectRequest;
import io.acip.ingress.ForwardingUdpFlow;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.UdpFlow;
import io.acip.ingress.UdpFlowListener;
import java.nio.ByteBuffer;

/**
 * A CONNECT-UDP flow that holds its caller's in-flight slot (policy concurrency) until it ends, however it ends: the
 * refusal, the gateway closing it, or the agent's side going away.
 */
final class CountedUdpFlow extends ForwardingUdpFlow {
    private final Runnable release;
    private final GatewayMetrics metrics;
    private final String identity;
    private final long startNanos = System.nanoTime();
    private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile int status = 200;
    private volatile long bytesUp;
    private volatile long bytesDown;

    /** Counted as open in {@code metrics} until it ends, then in the access log as sent by {@code identity}. */
    CountedUdpFlow(UdpFlow flow, Runnable release, GatewayMetrics metrics, String identity) {
        super(flow);
        this.release = release;
        this.metrics = metrics;
        this.identity = identity;
        metrics.flowOpened();
    }

    /** The flow never reached the listener's hands (a stage failed): its slot and its count end here. */
    void abandon() {
        end();
    }

    /** Refusal, close and the agent leaving may each report the end: it counts once. */
    private void end() {
        if (!done.compareAndSet(false, true)) return;
        release.run();
        metrics.flowEnded();
        if (metrics.accessLogged()) {
            ConnectRequest r = flow.request();
            io.acip.gateway.logs.AccessLog.flow(identity, r.host() + ":" + r.port(), flow.httpVersion(), status,
                    System.nanoTime() - startNanos, bytesUp, bytesDown);
        }
    }

    @Override
    public void accept(UdpFlowListener listener) {
        flow.accept(new UdpFlowListener() {
            @Override
            public void onDatagram(ByteBuffer payload) {
                bytesUp += payload.remaining(); // one listener thread at a time
                listener.onDatagram(payload);
            }

            @Override
            public void onClose(Throwable cause) {
                end();
                listener.onClose(cause);
            }
        });
    }

    @Override
    public void refuse(HttpFailure failure) {
        status = failure.status();
        end();
        flow.refuse(failure);
    }

    @Override
    public boolean send(ByteBuffer payload) {
        int n = payload.remaining();
        bytesDown += n; // before the agent can see it: an end that races with the send still logs these bytes
        boolean sent = flow.send(payload);
        if (!sent) bytesDown -= n;
        return sent;
    }

    @Override
    public void close(Throwable cause) {
        end();
        flow.close(cause);
    }
}
