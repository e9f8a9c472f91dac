package io.acip.gateway.admin;

import io.acip.gateway.config.ConfigException;
import io.acip.gateway.config.GatewayConfig;
import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import io.acip.tls.Pem;
import io.acip.tls.identity.CertificateIdentities;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS for the admin listener: its certificate ({@code admin.tls_certificate} and {@code tls_key}, else one the
 * fabric CA issues for loopback and the listen address), and, with {@code admin.client_ca}, the anchors client
 * certificates must chain to. Client certificates are asked for, not required, so {@code GET /healthz} and token
 * holders need none; a presented chain that does not verify fails the handshake.
 */
final class AdminTls {
    private static final Duration SERVER_CERT_VALIDITY = Duration.ofDays(30);
    private static final char[] STORE_PASSWORD = "admin".toCharArray(); // in memory only

    private final SslContextFactory.Server context;
    private final List<X509Certificate> clientAnchors;

    private AdminTls(SslContextFactory.Server context, List<X509Certificate> clientAnchors) {
        this.context = context;
        this.clientAnchors = clientAnchors;
    }

    SslContextFactory.Server context() {
        return context;
    }

    /** Whether client certificates can authenticate callers. */
    boolean takesClientCertificates() {
        return !clientAnchors.isEmpty();
    }

    static AdminTls of(GatewayConfig.Admin a, InetSocketAddress listen, FabricCa ca) throws ConfigException {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(identity(a, listen, ca).keyStore(STORE_PASSWORD));
        ssl.setKeyStorePassword(new String(STORE_PASSWORD));
        List<X509Certificate> anchors = a.clientCa() == null ? List.of() : anchors(a.clientCa());
        if (!anchors.isEmpty()) {
            ssl.setTrustStore(trustStore(anchors));
            ssl.setWantClientAuth(true);
        }
        return new AdminTls(ssl, anchors);
    }

    /** Whether {@code chain} (as the TLS handshake accepted it) chains to one of the client anchors. */
    boolean trusts(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) return false;
        for (X509Certificate anchor : clientAnchors) {
            try {
                CertificateIdentities.verifyChain(chain, anchor);
                return true;
            } catch (CertificateException e) {
                // try the next anchor
            }
        }
        return false;
    }

    private static IssuedIdentity identity(GatewayConfig.Admin a, InetSocketAddress listen, FabricCa ca)
            throws ConfigException {
        if (a.tlsCertificate() != null) {
            try {
                return new IssuedIdentity(Pem.readPrivateKey(Path.of(a.tlsKey())),
                        Pem.readCertificates(Path.of(a.tlsCertificate())));
            } catch (IOException | RuntimeException e) {
                throw new ConfigException("admin.tls_certificate: cannot use " + a.tlsCertificate() + " with "
                        + a.tlsKey() + ": " + e.getMessage());
            }
        }
        List<String> names = new ArrayList<>(List.of("localhost"));
        List<InetAddress> ips = new ArrayList<>(List.of(InetAddress.getLoopbackAddress()));
        try {
            ips.add(InetAddress.getByName("::1"));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("a literal needs no lookup", e);
        }
        InetAddress bound = listen.getAddress();
        if (bound != null && !bound.isAnyLocalAddress() && !ips.contains(bound)) ips.add(bound);
        String host = listen.getHostString();
        if (!host.equals("localhost") && !Character.isDigit(host.charAt(0)) && host.indexOf(':') < 0) names.add(host);
        return ca.issueServer(names, ips, SERVER_CERT_VALIDITY);
    }

    private static List<X509Certificate> anchors(String file) throws ConfigException {
        List<X509Certificate> certs;
        try {
            certs = Pem.readCertificates(Path.of(file));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("admin.client_ca: cannot read " + file + ": " + e.getMessage());
        }
        if (certs.isEmpty()) throw new ConfigException("admin.client_ca: " + file + " holds no certificate");
        for (X509Certificate c : certs) {
            try {
                CertificateIdentities.requireCa(c);
            } catch (CertificateException e) {
                throw new ConfigException("admin.client_ca: " + e.getMessage());
            }
        }
        return List.copyOf(certs);
    }

    private static KeyStore trustStore(List<X509Certificate> anchors) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < anchors.size(); i++) ks.setCertificateEntry("admin-client-ca-" + i, anchors.get(i));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an in-memory trust store", e);
        }
    }
}
