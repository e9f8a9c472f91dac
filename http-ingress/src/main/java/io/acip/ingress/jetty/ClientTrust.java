package io.acip.ingress.jetty;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/** Trust anchors for agents' TLS client certificates, as the key store Jetty's TLS setup takes. */
final class ClientTrust {
    private ClientTrust() {
    }

    static KeyStore keyStore(List<X509Certificate> anchors) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) store.setCertificateEntry("client-ca-" + i, anchors.get(i));
            return store;
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot hold the client trust anchors", e);
        }
    }
}
