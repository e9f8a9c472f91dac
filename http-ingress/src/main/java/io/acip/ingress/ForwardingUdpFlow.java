package io.acip.ingress;

import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.Optional;

/** A {@link UdpFlow} that passes every call to another; a stage that watches or counts overrides what it needs. */
public abstract class ForwardingUdpFlow implements UdpFlow {
    protected final UdpFlow flow;

    protected ForwardingUdpFlow(UdpFlow flow) {
        this.flow = flow;
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
        flow.accept(listener);
    }

    @Override
    public void refuse(HttpFailure failure) {
        flow.refuse(failure);
    }

    @Override
    public boolean send(ByteBuffer payload) {
        return flow.send(payload);
    }

    @Override
    public void close(Throwable cause) {
        flow.close(cause);
    }

    @Override
    public int maxPayload() {
        return flow.maxPayload();
    }

    @Override
    public Optional<EventLoop> eventLoop() {
        return flow.eventLoop();
    }
}
