package io.acip.ingress.jetty;

import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS for intercepted tunnels. Jetty creates the engine from the peer address, which here is an
 * {@link InterceptedOrigin} rather than an IP address; the engine is made again with the CONNECT host and port as its
 * peer, which is where {@link MintingKeyManager} learns which leaf to present when the agent sends no usable SNI.
 */
final class InterceptSslConnectionFactory extends SslConnectionFactory {
    InterceptSslConnectionFactory(SslContextFactory.Server sslContextFactory, String nextProtocol) {
        super(sslContextFactory, nextProtocol);
    }

    @Override
    protected SslConnection newSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine) {
        SSLEngine named = engine;
        if (endPoint.getRemoteSocketAddress() instanceof InterceptedOrigin origin) {
            SslContextFactory.Server factory = getSslContextFactory();
            named = factory.getSslContext().createSSLEngine(origin.host(), origin.port());
            named.setUseClientMode(false);
            factory.customize(named);
        }
        return super.newSslConnection(connector, endPoint, named);
    }
}
