package io.acip.tls;

import io.acip.tls.identity.CertificateIdentities;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The two PEM files a {@link FabricCa} lives in ({@value FabricCa#CERT_FILE}, {@value FabricCa#KEY_FILE}): reading
 * them with every check an operator's mistake needs, and creating them once however many processes try at once.
 */
final class CaFiles {
    private CaFiles() {
    }

    static FabricCa loadOrCreate(Path dir, String caName) throws IOException {
        Path certFile = dir.resolve(FabricCa.CERT_FILE);
        Path keyFile = dir.resolve(FabricCa.KEY_FILE);
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            return load(dir); // no lock: a read-only directory with a provisioned CA must work
        }
        CaDirectoryLock lock = CaDirectoryLock.acquire(dir);
        try {
            if (Files.notExists(certFile) && Files.notExists(keyFile)) {
                FabricCa ca = FabricCa.generate(caName);
                AtomicFiles.write(keyFile, Pem.encode(ca.key()), true);
                // The certificate goes last: once it exists, the pair is complete.
                AtomicFiles.write(certFile, Pem.encode(List.of(ca.certificate())), false);
                return ca;
            }
            return load(dir); // another process won the race, or half a CA is there and load says so
        } finally {
            lock.close();
        }
    }

    static FabricCa load(Path dir) throws IOException {
        Path certFile = dir.resolve(FabricCa.CERT_FILE);
        Path keyFile = dir.resolve(FabricCa.KEY_FILE);
        requirePresent(certFile, keyFile);
        requirePresent(keyFile, certFile);
        List<X509Certificate> certs;
        PrivateKey key;
        try {
            certs = Pem.readCertificates(Files.readString(certFile, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new InvalidCaException(certFile, e.getMessage(), e);
        }
        try {
            key = Pem.readPrivateKey(Files.readString(keyFile, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new InvalidCaException(keyFile, e.getMessage(), e);
        }
        if (certs.size() != 1) {
            // An intermediate with its parents would need the parents in every issued chain: not supported yet.
            throw new InvalidCaException(certFile, "expected one CA certificate, found " + certs.size());
        }
        X509Certificate cert = certs.get(0);
        try {
            CertificateIdentities.requireCa(cert);
        } catch (CertificateException e) {
            throw new InvalidCaException(certFile, e.getMessage(), e);
        }
        if (!KeyPairs.matches(key, cert.getPublicKey())) {
            throw new InvalidCaException(keyFile, "private key does not match the certificate in " + certFile);
        }
        try {
            return new FabricCa(cert, key);
        } catch (IllegalArgumentException e) {
            throw new InvalidCaException(certFile, "unreadable subjectKeyIdentifier: " + e.getMessage(), e);
        }
    }

    private static void requirePresent(Path file, Path partner) throws InvalidCaException {
        if (Files.notExists(file)) {
            throw new InvalidCaException(file, "missing" + (Files.exists(partner) ? "; " + partner.getFileName()
                    + " exists without it: restore it, or remove both to create a new CA" : ""));
        }
    }
}
