package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import io.acip.capsule.masque.ConnectUdpTemplate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A bad value is refused at build time, naming the field. */
class IngressConfigTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void defaultsAreValid() {
        IngressConfig c = IngressConfig.builder("acip-gw").cleartext(ANY).build();
        assertEquals(16 * 1024, c.requestHeaderSize());
        assertEquals(Duration.ofMinutes(5), c.idleTimeout());
        assertEquals(128, c.maxConcurrentStreams());
        assertTrue(c.addVia());
    }

    @Test
    void refusals() {
        assertMessage("ingress.proxyName", () -> IngressConfig.builder("acip gw").cleartext(ANY).build());
        assertMessage("at least one of", () -> IngressConfig.builder("gw").build());
        assertMessage("ingress.requestHeaderSize", () -> IngressConfig.builder("gw").cleartext(ANY)
                .requestHeaderSize(10).build());
        assertMessage("ingress.idleTimeout", () -> IngressConfig.builder("gw").cleartext(ANY)
                .idleTimeout(Duration.ZERO).build());
        assertMessage("ingress.h2StreamWindow", () -> IngressConfig.builder("gw").cleartext(ANY)
                .h2Windows(1000, 1 << 20).build());
        assertMessage("ingress.tlsIdentity", () -> new IngressConfig("gw", null, ANY, null, null, 16384, 16384,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 10, 65535, 65535, 0, 8, 4096,
                Duration.ofSeconds(1), true, ConnectUdpTemplate.defaultFor("gw"), Duration.ofMinutes(2), false,
                null, Duration.ofSeconds(10), 0, io.acip.ingress.DatagramTransport.NIO));
        assertMessage("ingress.requestHeadTimeout", () -> IngressConfig.builder("gw").cleartext(ANY)
                .requestHeadTimeout(Duration.ZERO).build());
        assertMessage("ingress.maxConnectionsPerIp", () -> IngressConfig.builder("gw").cleartext(ANY)
                .maxConnectionsPerIp(-1).build());
        assertMessage("ingress.udpIdleTimeout", () -> IngressConfig.builder("gw").cleartext(ANY)
                .udpIdleTimeout(Duration.ofSeconds(30)).build());
        assertMessage("ingress.connectUdpPath", () -> IngressConfig.builder("gw").cleartext(ANY)
                .connectUdpPath("/masque/{target_host}/"));
        assertMessage("ingress.http3", () -> IngressConfig.builder("gw").cleartext(ANY).http3(true).build());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
