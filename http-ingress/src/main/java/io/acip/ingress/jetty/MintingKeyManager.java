package io.acip.ingress.jetty;

import io.acip.tls.IssuedIdentity;
import io.acip.tls.LeafCertificateMinter;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents, in an intercepted tunnel, a leaf minted for the host the agent asked for. The engine's peer host is the
 * CONNECT host ({@link InterceptSslConnectionFactory} creates it so); the client's SNI is used when it names that
 * same host, else the CONNECT host is: the agent may only get a certificate for the destination policy approved.
 * The alias is the host itself, so the chain and key are looked up again from the minter's cache.
 */
final class MintingKeyManager extends X509ExtendedKeyManager {
    private final LeafCertificateMinter minter;
    private final IngressCounters counters;

    MintingKeyManager(LeafCertificateMinter minter, IngressCounters counters) {
        this.minter = minter;
        this.counters = counters;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        String connectHost = engine.getPeerHost();
        if (connectHost == null) return null; // not an intercepted engine: no certificate
        String sni = requestedHostName(engine.getHandshakeSession());
        String host = sni != null && sameHost(sni, connectHost) ? sni : connectHost;
        try {
            IssuedIdentity leaf = minter.leafFor(host);
            if (!leaf.privateKey().getAlgorithm().equals(keyType)) {
                return null; // the engine offers other key types too; it asks again for the one it can use
            }
            return host;
        } catch (RuntimeException e) {
            counters.increment("ingress.intercept.mint_failed");
            return null;
        }
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return minter.leafFor(alias).certificateChain();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return minter.leafFor(alias).privateKey();
    }

    private static String requestedHostName(SSLSession handshake) {
        if (!(handshake instanceof ExtendedSSLSession session)) return null;
        for (SNIServerName name : session.getRequestedServerNames()) {
            if (name instanceof SNIHostName host) return host.getAsciiName();
        }
        return null;
    }

    private static boolean sameHost(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    // A server-side key manager only: the client and socket-based selections are never used by Jetty's engines.

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
