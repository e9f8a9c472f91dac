package io.acip.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM, the key format every peer of the gateway reads (curl, nginx, Jetty, Netty, openssl). Writes certificates as
 * {@code CERTIFICATE} and keys as unencrypted PKCS#8 {@code PRIVATE KEY}; reads PKCS#8 and the traditional
 * {@code EC PRIVATE KEY} / {@code RSA PRIVATE KEY} forms, and turns every key into a JDK key whose encoding is
 * PKCS#8. Read errors are {@link IOException}s whose message names the problem (and the file, when read from one).
 */
public final class Pem {
    private Pem() {
    }

    /** The certificates as consecutive {@code CERTIFICATE} blocks, in the order given (leaf first for a chain). */
    public static String encode(List<X509Certificate> certificates) {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            for (X509Certificate c : certificates) {
                w.writeObject(new PemObject("CERTIFICATE", c.getEncoded()));
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
        return out.toString();
    }

    /** The key as an unencrypted PKCS#8 {@code PRIVATE KEY} block. */
    public static String encode(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("key does not encode as PKCS#8: " + key.getFormat());
        }
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** Every {@code CERTIFICATE} block in the file, in order; at least one. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        return withPath(file, () -> readCertificates(Files.readString(file, StandardCharsets.ISO_8859_1)));
    }

    /** The one private key in the file. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return withPath(file, () -> readPrivateKey(Files.readString(file, StandardCharsets.ISO_8859_1)));
    }

    /** Every {@code CERTIFICATE} block in the text, in order; at least one. */
    public static List<X509Certificate> readCertificates(String pem) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : parseAll(pem)) {
            if (!(o instanceof X509CertificateHolder holder)) {
                throw new IOException("unexpected " + o.getClass().getSimpleName() + " where certificates belong");
            }
            try {
                certificates.add(converter.getCertificate(holder));
            } catch (CertificateException e) {
                throw new IOException("unreadable certificate: " + e.getMessage(), e);
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException("no PEM certificate found");
        }
        return List.copyOf(certificates);
    }

    /** The one private key in the text (PKCS#8 or traditional; unencrypted). */
    public static PrivateKey readPrivateKey(String pem) throws IOException {
        List<Object> objects = parseAll(pem);
        if (objects.size() != 1) {
            throw new IOException("expected exactly one PEM private key, found " + objects.size() + " PEM objects");
        }
        Object o = objects.get(0);
        PrivateKeyInfo info;
        if (o instanceof PrivateKeyInfo i) {
            info = i;
        } else if (o instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();
        } else if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
            throw new IOException("encrypted private keys are not supported; store the key unencrypted, mode 0600");
        } else {
            throw new IOException("expected a private key, found " + o.getClass().getSimpleName());
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException | RuntimeException e) {
            throw new IOException("unreadable private key: " + e.getMessage(), e);
        }
    }

    private static List<Object> parseAll(String pem) throws IOException {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                objects.add(o);
            }
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle reports bad base64 or DER as assorted runtime exceptions: one message for all.
            throw new IOException("malformed PEM: " + e.getMessage(), e);
        }
        return objects;
    }

    private interface Read<T> {
        T run() throws IOException;
    }

    private static <T> T withPath(Path file, Read<T> read) throws IOException {
        try {
            return read.run();
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
