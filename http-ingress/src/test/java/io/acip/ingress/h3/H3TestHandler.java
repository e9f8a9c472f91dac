package io.acip.ingress.h3;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.Exchange;
import io.acip.ingress.TestExchanges;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.Tunnel;
import io.acip.ingress.TunnelDecision;
import io.acip.ingress.UdpFlow;
import io.acip.ingress.UdpFlowListener;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The HTTP/3 tests' gateway. Exchanges as {@link TestExchanges} serves them. UDP flows by host: {@code blocked.example} refused with 403
 * destination_ip_prohibited, {@code deferred.example} parked in {@link #deferred} for the test to answer,
 * anything else accepted with an echo listener that reports how it closed in {@link #closes}.
 */
final class H3TestHandler implements IngressHandler {
    static final HttpFailure FAILURE = TestExchanges.FAILURE;
    static final HttpFailure PROHIBITED = new HttpFailure(403, ProxyErrorType.DESTINATION_IP_PROHIBITED,
            "the target is not allowed");

    final LinkedBlockingQueue<UdpFlow> deferred = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<UdpFlow> flows = new LinkedBlockingQueue<>();
    /** How accepted flows ended: the cause, or the string "clean". */
    final LinkedBlockingQueue<Object> closes = new LinkedBlockingQueue<>();

    @Override
    public void onExchange(Exchange exchange) {
        TestExchanges.serve(exchange);
    }

    @Override
    public TunnelDecision onConnect(ConnectRequest request) {
        return new TunnelDecision.Refuse(new HttpFailure(403, ProxyErrorType.HTTP_REQUEST_DENIED, "no tunnels"));
    }

    @Override
    public void onTunnel(Tunnel tunnel) {
        tunnel.abort(new IllegalStateException("no tunnels"));
    }

    @Override
    public void onConnectUdp(UdpFlow flow) {
        String host = flow.request().host();
        if (host.equals("blocked.example")) {
            flow.refuse(PROHIBITED);
        } else if (host.equals("deferred.example")) {
            deferred.add(flow);
        } else {
            acceptEcho(flow);
        }
    }

    void acceptEcho(UdpFlow flow) {
        flows.add(flow);
        flow.accept(new UdpFlowListener() {
            @Override
            public void onDatagram(ByteBuffer payload) {
                flow.send(payload);
            }

            @Override
            public void onClose(Throwable cause) {
                closes.add(cause == null ? "clean" : cause);
            }
        });
    }

    static ByteBuffer ascii(String s) {
        return TestExchanges.ascii(s);
    }
}
