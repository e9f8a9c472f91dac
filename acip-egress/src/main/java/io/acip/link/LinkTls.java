package io.acip.link;

import io.acip.tls.IssuedIdentity;
import io.acip.tls.identity.CertificateIdentities;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.ClientAuth;
import java.security.cert.X509Certificate;

/** TLS for links: mutual authentication with node certificates from the fabric CA, ALPN {@code acip/0}. */
public final class LinkTls {
    public static final String ALPN = "acip/0";

    private LinkTls() {
    }

    public static QuicSslContext server(IssuedIdentity node, X509Certificate fabricCa) {
        return QuicSslContextBuilder.forServer(node.privateKey(), null, chain(node))
                .trustManager(CertificateIdentities.trustManagerFor(fabricCa))
                .clientAuth(ClientAuth.REQUIRE)
                .applicationProtocols(ALPN)
                .build();
    }

    public static QuicSslContext client(IssuedIdentity node, X509Certificate fabricCa) {
        // Links are addressed by IP and authenticated by node ID: the dialer checks the acip://node/<id> SAN
        // against the neighbour it meant to reach once the handshake is done, so host name checks are off.
        return QuicSslContextBuilder.forClient()
                .endpointIdentificationAlgorithm(null)
                .keyManager(node.privateKey(), null, chain(node))
                .trustManager(CertificateIdentities.trustManagerFor(fabricCa))
                .applicationProtocols(ALPN)
                .build();
    }

    private static X509Certificate[] chain(IssuedIdentity node) {
        return node.chain().toArray(new X509Certificate[0]);
    }
}
