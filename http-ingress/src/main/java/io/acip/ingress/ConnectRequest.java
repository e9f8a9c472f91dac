package io.acip.ingress;

import io.acip.capsule.bhttp.Fields;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A CONNECT request: the target authority and the request's header fields (lowercase names).
 *
 * @param clientCertificates the agent's verified TLS client certificate chain, leaf first; empty when none
 * @param tunnel for a CONNECT sent inside an intercepted tunnel, what the handler attached to the outer CONNECT
 */
public record ConnectRequest(String host, int port, Fields headers, String protocol, InetSocketAddress remote,
                             List<X509Certificate> clientCertificates, Object tunnel) {
    public ConnectRequest {
        clientCertificates = clientCertificates == null ? List.of() : List.copyOf(clientCertificates);
    }

    /** A CONNECT on a connection without client certificates, outside any tunnel. */
    public ConnectRequest(String host, int port, Fields headers, String protocol, InetSocketAddress remote) {
        this(host, port, headers, protocol, remote, List.of(), null);
    }
}
