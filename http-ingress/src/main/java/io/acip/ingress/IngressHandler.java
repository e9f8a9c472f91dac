package io.acip.ingress;

import io.acip.capsule.proxystatus.ProxyErrorType;

/** What the listeners hand accepted traffic to: the gateway implements it. Calls may come on any thread. */
public interface IngressHandler {
    /** An HTTP request (any version, any form); the handler answers through {@link Exchange#response()}. */
    void onExchange(Exchange exchange);

    /**
     * A CONNECT to {@code host:port} (RFC 9110 §9.3.6): how to serve it. Called before anything is answered.
     */
    TunnelDecision onConnect(ConnectRequest request);

    /** A tunnel the handler chose to carry itself ({@link TunnelDecision.Carry}) was accepted by the agent. */
    void onTunnel(Tunnel tunnel);

    /**
     * A CONNECT-UDP request (RFC 9298) on any HTTP version whose URI template matched: the handler answers it with
     * {@link UdpFlow#accept} or {@link UdpFlow#refuse}, now or later. Handlers that serve no UDP refuse with 501.
     */
    default void onConnectUdp(UdpFlow flow) {
        flow.refuse(new HttpFailure(501, ProxyErrorType.HTTP_REQUEST_ERROR, "this gateway does not serve CONNECT-UDP"));
    }
}
