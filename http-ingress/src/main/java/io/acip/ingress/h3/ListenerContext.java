package io.acip.ingress.h3;

import io.acip.ingress.ConnectionsPerIp;
import io.acip.ingress.IngressHandler;
import io.acip.ingress.jetty.IngressConfig;
import io.acip.ingress.jetty.IngressCounters;
import java.time.Duration;

/**
 * What every connection and stream of one listener shares.
 *
 * @param udpIdleTimeout the CONNECT-UDP idle timeout: {@link IngressConfig#udpIdleTimeout()} except in tests
 * @param perIp open connections per client IP address, shared with the TCP listeners
 */
record ListenerContext(IngressConfig config, IngressHandler handler, IngressCounters counters,
                       Duration udpIdleTimeout, InFlight inFlight, ConnectionsPerIp perIp) {
    String proxyName() {
        return config.proxyName();
    }
}
