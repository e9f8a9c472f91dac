package io.acip.gateway;

import io.acip.ingress.ConnectRequest;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.UdpFlow;
import io.acip.ingress.UdpFlowListener;
import java.nio.ByteBuffer;

/**
 * A CONNECT-UDP flow that holds its caller's in-flight slot (policy concurrency) until it ends, however it ends: the
 * refusal, the gateway closing it, or the agent's side going away.
 */
final class CountedUdpFlow implements UdpFlow {
    private final UdpFlow flow;
    private final Runnable release;
    private final Runnable ended;
    private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

    /** @param ended runs once too, after {@code release} (the open-flows gauge) */
    CountedUdpFlow(UdpFlow flow, Runnable release, Runnable ended) {
        this.flow = flow;
        this.release = release;
        this.ended = ended;
    }

    /** Refusal, close and the agent leaving may each report the end: it counts once. */
    private void end() {
        if (!done.compareAndSet(false, true)) return;
        release.run();
        ended.run();
    }

    @Override
    public ConnectRequest request() {
        return flow.request();
    }

    @Override
    public String httpVersion() {
        return flow.httpVersion();
    }

    @Override
    public void accept(UdpFlowListener listener) {
        flow.accept(new UdpFlowListener() {
            @Override
            public void onDatagram(ByteBuffer payload) {
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
        end();
        flow.refuse(failure);
    }

    @Override
    public boolean send(ByteBuffer payload) {
        return flow.send(payload);
    }

    @Override
    public void close(Throwable cause) {
        end();
        flow.close(cause);
    }

    @Override
    public int maxPayload() {
        return flow.maxPayload();
    }
}
