package io.acip.tls;

import io.acip.tls.identity.CertificateIdentities;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A private key and the certificate chain that names it (leaf first, issuing CA last), in the shapes TLS stacks
 * take: PEM text or files (curl, nginx), a PKCS12 {@link KeyStore} and key/trust manager factories (JDK, Jetty),
 * or {@link #privateKey()} plus {@link #certificateChain()} (Netty's {@code QuicSslContextBuilder}). The key always
 * encodes as PKCS#8, which is what Netty hands to BoringSSL.
 */
public record IssuedIdentity(PrivateKey privateKey, List<X509Certificate> chain) {
    /** The alias of the key entry in {@link #keyStore}. */
    public static final String KEY_ALIAS = "acip";

    // Only protects the in-memory store behind keyManagerFactory(); nothing is written with it.
    private static final char[] IN_MEMORY_PASSWORD = "acip".toCharArray();

    public IssuedIdentity {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the leaf");
        }
        if (!"PKCS#8".equals(privateKey.getFormat())) {
            throw new IllegalArgumentException("private key must encode as PKCS#8, not " + privateKey.getFormat());
        }
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The last certificate of the chain: the CA that issued the leaf. */
    public X509Certificate caCertificate() {
        return chain.get(chain.size() - 1);
    }

    /** A fresh array of the chain, leaf first. */
    public X509Certificate[] certificateChain() {
        return chain.toArray(X509Certificate[]::new);
    }

    /** The chain as consecutive PEM certificates, leaf first ("fullchain"). */
    public String certificateChainPem() {
        return Pem.encode(chain);
    }

    /** The key as PKCS#8 PEM. */
    public String privateKeyPem() {
        return Pem.encode(privateKey);
    }

    /** Writes the chain and the key (mode 0600 where POSIX), each atomically. */
    public void writePem(Path certificateChainFile, Path privateKeyFile) throws IOException {
        AtomicFiles.write(privateKeyFile, privateKeyPem(), true);
        AtomicFiles.write(certificateChainFile, certificateChainPem(), false);
    }

    /** An in-memory PKCS12 store with one key entry, {@link #KEY_ALIAS}, protected by {@code password}. */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(KEY_ALIAS, privateKey, password, certificateChain());
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a PKCS12 key store", e);
        }
    }

    /** Key managers that present this identity (JDK {@code SSLContext}, Jetty, Netty). */
    public KeyManagerFactory keyManagerFactory() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(keyStore(IN_MEMORY_PASSWORD), IN_MEMORY_PASSWORD);
            return kmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a key manager", e);
        }
    }

    /** Trust managers that trust exactly what {@link #caCertificate()} issued: the peer side of mutual TLS. */
    public TrustManagerFactory trustManagerFactory() {
        return CertificateIdentities.trustManagerFactoryFor(caCertificate());
    }
}
