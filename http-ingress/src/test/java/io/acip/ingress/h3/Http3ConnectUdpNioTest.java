package io.acip.ingress.h3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acip.ingress.DatagramTransport;
import io.acip.ingress.jetty.IngressConfig;
import org.junit.jupiter.api.Test;

/**
 * Every CONNECT-UDP case of {@link Http3ConnectUdpTest} again with the listener on NIO ({@code udp.native_transport:
 * nio}, or a machine where epoll does not load); the parent runs on the preferred transport, epoll on Linux.
 */
class Http3ConnectUdpNioTest extends Http3ConnectUdpTest {
    @Override
    IngressConfig listenerConfig() {
        return builder().datagramTransport(DatagramTransport.NIO).build();
    }

    @Test
    void theListenerRunsOnNio() {
        assertEquals(DatagramTransport.NIO, listener.transport());
    }
}
