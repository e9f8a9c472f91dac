package io.acip.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.acip.tls.identity.CertificateIdentities;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FabricCaTest {
    @TempDir
    Path dir;

    @Test
    void createsOnFirstUseThenLoadsTheSameCa() throws Exception {
        FabricCa created = FabricCa.loadOrCreate(dir, "fabric test CA");
        assertTrue(Files.exists(dir.resolve(FabricCa.CERT_FILE)));
        assertTrue(Files.exists(dir.resolve(FabricCa.KEY_FILE)));

        FabricCa loaded = FabricCa.loadOrCreate(dir, "another name is ignored once it exists");
        assertEquals(created.certificate(), loaded.certificate());
        // The reloaded key is the same key: what it signs verifies against the first certificate.
        assertDoesNotThrow(() -> CertificateIdentities.verifyChain(
                loaded.issueNode("n1", Duration.ofHours(1)).certificateChain(), created.certificate()));
    }

    @Test
    void caCertificateIsAnEcP256SelfSignedCa() throws Exception {
        X509Certificate ca = FabricCa.loadOrCreate(dir, "fabric test CA").certificate();
        assertEquals("CN=fabric test CA", ca.getSubjectX500Principal().getName());
        assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
        ca.verify(ca.getPublicKey());
        assertEquals(256, ((ECPublicKey) ca.getPublicKey()).getParams().getOrder().bitLength());
        assertEquals("SHA256withECDSA", ca.getSigAlgName());

        assertEquals(Integer.MAX_VALUE, ca.getBasicConstraints()); // CA:true, no path length limit
        assertEquals(Set.of(Extension.basicConstraints.getId(), Extension.keyUsage.getId()),
                ca.getCriticalExtensionOIDs());
        boolean[] keyUsage = new boolean[9];
        keyUsage[5] = true; // keyCertSign
        keyUsage[6] = true; // cRLSign
        assertArrayEquals(keyUsage, ca.getKeyUsage());
        assertTrue(ca.getExtensionValue(Extension.subjectKeyIdentifier.getId()) != null);

        Duration validity = Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant());
        assertEquals(FabricCa.CA_VALIDITY.plus(FabricCa.BACKDATE), validity);
        assertTrue(ca.getNotBefore().toInstant().isBefore(Instant.now()));
        assertEquals(128, ca.getSerialNumber().bitLength());
    }

    @Test
    void keyFileIsReadableByItsOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        FabricCa.loadOrCreate(dir, "fabric test CA");
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(FabricCa.KEY_FILE))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(FabricCa.CERT_FILE))));
        String key = Files.readString(dir.resolve(FabricCa.KEY_FILE));
        assertTrue(key.startsWith("-----BEGIN PRIVATE KEY-----"), key); // PKCS#8
    }

    @Test
    void refusesAKeyThatIsNotTheCertificatesKey() throws Exception {
        FabricCa.loadOrCreate(dir, "fabric test CA");
        Path keyFile = dir.resolve(FabricCa.KEY_FILE);
        Files.writeString(keyFile, Pem.encode(FabricCa.generate("intruder").issueNode("x", Duration.ofDays(1))
                .privateKey()));
        InvalidCaException e = assertThrows(InvalidCaException.class, () -> FabricCa.loadOrCreate(dir, "x"));
        assertEquals(keyFile, e.file());
        assertEquals(keyFile + ": private key does not match the certificate in " + dir.resolve(FabricCa.CERT_FILE),
                e.getMessage());
    }

    @Test
    void refusesATamperedKeyFile() throws Exception {
        FabricCa.loadOrCreate(dir, "fabric test CA");
        Path keyFile = dir.resolve(FabricCa.KEY_FILE);
        List<String> lines = new ArrayList<>(Files.readAllLines(keyFile));
        lines.set(1, lines.get(1).substring(0, 20) + "!!!!" + lines.get(1).substring(24));
        Files.write(keyFile, lines);
        InvalidCaException e = assertThrows(InvalidCaException.class, () -> FabricCa.load(dir));
        assertEquals(keyFile, e.file());
        assertTrue(e.getMessage().startsWith(keyFile + ": malformed PEM"), e.getMessage());
    }

    @Test
    void refusesACertificateThatIsNotACa() throws Exception {
        IssuedIdentity node = FabricCa.generate("other").issueNode("n1", Duration.ofDays(1));
        node.writePem(dir.resolve(FabricCa.CERT_FILE), dir.resolve(FabricCa.KEY_FILE));
        InvalidCaException e = assertThrows(InvalidCaException.class, () -> FabricCa.loadOrCreate(dir, "x"));
        assertEquals(dir.resolve(FabricCa.CERT_FILE), e.file());
        assertTrue(e.getMessage().endsWith("expected one CA certificate, found 2"), e.getMessage());

        Files.writeString(dir.resolve(FabricCa.CERT_FILE), Pem.encode(List.of(node.certificate())));
        e = assertThrows(InvalidCaException.class, () -> FabricCa.loadOrCreate(dir, "x"));
        assertTrue(e.getMessage().contains("CN=n1 is not a CA certificate"), e.getMessage());
    }

    @Test
    void refusesHalfACaAndLeavesTheHalfAlone() throws Exception {
        FabricCa.loadOrCreate(dir, "fabric test CA");
        Path certFile = dir.resolve(FabricCa.CERT_FILE);
        Path keyFile = dir.resolve(FabricCa.KEY_FILE);
        String key = Files.readString(keyFile);
        Files.delete(certFile);
        InvalidCaException e = assertThrows(InvalidCaException.class, () -> FabricCa.loadOrCreate(dir, "x"));
        assertEquals(certFile, e.file());
        assertTrue(e.getMessage().contains("missing; ca-key.pem exists without it"), e.getMessage());
        assertEquals(key, Files.readString(keyFile));
        assertFalse(Files.exists(certFile));
    }

    @Test
    void loadsATraditionalEcPrivateKey() throws Exception {
        FabricCa created = FabricCa.loadOrCreate(dir, "fabric test CA");
        Path keyFile = dir.resolve(FabricCa.KEY_FILE);
        // Rewrite the key as `openssl ecparam -genkey` would: SEC1 "EC PRIVATE KEY" with the curve inside.
        PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(Pem.readPrivateKey(keyFile).getEncoded());
        ECPrivateKey sec1 = new ECPrivateKey(256, ECPrivateKey.getInstance(pkcs8.parsePrivateKey()).getKey(),
                pkcs8.getPrivateKeyAlgorithm().getParameters());
        StringWriter pem = new StringWriter();
        try (PemWriter w = new PemWriter(pem)) {
            w.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        Files.writeString(keyFile, pem.toString());
        assertEquals(created.certificate(), FabricCa.load(dir).certificate());
    }

    @Test
    void threadsCreatingAtOnceAgreeOnOneCa() throws Exception {
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<X509Certificate>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return FabricCa.loadOrCreate(dir, "race").certificate();
                }));
            }
            start.countDown();
            X509Certificate onDisk = null;
            for (Future<X509Certificate> f : results) {
                X509Certificate c = f.get(30, TimeUnit.SECONDS);
                onDisk = onDisk == null ? FabricCa.load(dir).certificate() : onDisk;
                assertEquals(onDisk, c);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void processesCreatingAtOnceAgreeOnOneCa() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                        CreateCaMain.class.getName(), dir.toString()).redirectErrorStream(true).start();
                processes.add(p);
                outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (BufferedReader out : outputs) {
                assertEquals("ready", out.readLine());
            }
            for (Process p : processes) {
                p.getOutputStream().write('\n');
                p.getOutputStream().flush();
            }
            List<String> fingerprints = new ArrayList<>();
            for (int i = 0; i < processes.size(); i++) {
                assertTrue(processes.get(i).waitFor(60, TimeUnit.SECONDS), "CA creator process did not finish");
                String out = outputs.get(i).lines().collect(Collectors.joining("\n"));
                assertEquals(0, processes.get(i).exitValue(), out);
                fingerprints.add(out);
            }
            String onDisk = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                    FabricCa.load(dir).certificate().getEncoded()));
            assertEquals(List.of(onDisk, onDisk, onDisk, onDisk), fingerprints);
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void generatedCaWritesNothing() throws Exception {
        FabricCa.generate("ephemeral");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
