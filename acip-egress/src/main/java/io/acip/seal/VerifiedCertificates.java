package io.acip.seal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Skill certificates already checked against a fabric CA, so a session to a skill seen before skips the chain check
 * (a PKIX build and a CA signature verify per handshake otherwise). Keyed by the certificate's bytes and the CA;
 * an entry is used only while the certificate is within its validity. Bounded, least recently used out first.
 */
final class VerifiedCertificates {
    private static final int MAX = 4096;
    private static final Map<Key, X509Certificate> CACHE = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, X509Certificate> eldest) {
            return size() > MAX;
        }
    };

    private record Key(byte[] certificateHash, byte[] caHash) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(certificateHash, k.certificateHash) && Arrays.equals(caHash, k.caHash);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(certificateHash) * 31 + Arrays.hashCode(caHash);
        }
    }

    private VerifiedCertificates() {
    }

    static X509Certificate get(byte[] der, X509Certificate ca) {
        X509Certificate cert;
        synchronized (CACHE) {
            cert = CACHE.get(key(der, ca));
        }
        if (cert == null) return null;
        Date now = new Date();
        return now.before(cert.getNotAfter()) && !now.before(cert.getNotBefore()) ? cert : null;
    }

    static void put(byte[] der, X509Certificate ca, X509Certificate cert) {
        synchronized (CACHE) {
            CACHE.put(key(der, ca), cert);
        }
    }

    private static Key key(byte[] der, X509Certificate ca) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] c = sha.digest(der);
            return new Key(c, sha.digest(ca.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
