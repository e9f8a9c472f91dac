package io.acip.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509KeyManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shapes an {@link IssuedIdentity} is handed to TLS stacks in. */
class IssuedIdentityTest {
    private static final FabricCa CA = FabricCa.generate("formats test CA");

    @TempDir
    Path dir;

    @Test
    void privateKeyIsPkcs8AsNettyAndBoringSslExpect() throws Exception {
        IssuedIdentity id = CA.issueNode("n1", Duration.ofDays(1));
        assertEquals("PKCS#8", id.privateKey().getFormat());
        PrivateKeyInfo.getInstance(id.privateKey().getEncoded()); // parses as a PKCS#8 PrivateKeyInfo
        assertEquals(id.privateKey(), KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(id.privateKey().getEncoded())));
        assertTrue(id.privateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----\n"), id.privateKeyPem());
    }

    @Test
    void pemTextRoundTrips() throws Exception {
        IssuedIdentity id = CA.issueSkill("demo/echo", Duration.ofDays(1));
        assertEquals(id.chain(), Pem.readCertificates(id.certificateChainPem()));
        assertEquals(id.privateKey(), Pem.readPrivateKey(id.privateKeyPem()));
    }

    @Test
    void writesChainAndOwnerOnlyKeyFiles() throws Exception {
        IssuedIdentity id = CA.issueNode("n1", Duration.ofDays(1));
        Path chain = dir.resolve("node.pem");
        Path key = dir.resolve("private/node-key.pem");
        id.writePem(chain, key);
        assertEquals(new IssuedIdentity(Pem.readPrivateKey(key), Pem.readCertificates(chain)), id);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        }
    }

    @Test
    void keyStoreHoldsTheKeyAndChain() throws Exception {
        IssuedIdentity id = CA.issueNode("n1", Duration.ofDays(1));
        char[] password = "changeit".toCharArray();
        KeyStore ks = id.keyStore(password);
        assertEquals("PKCS12", ks.getType());
        Key key = ks.getKey(IssuedIdentity.KEY_ALIAS, password);
        assertArrayEquals(id.privateKey().getEncoded(), key.getEncoded());
        Certificate[] chain = ks.getCertificateChain(IssuedIdentity.KEY_ALIAS);
        assertArrayEquals(id.certificateChain(), chain);

        X509KeyManager km = (X509KeyManager) id.keyManagerFactory().getKeyManagers()[0];
        String alias = km.chooseServerAlias("EC", null, null);
        assertArrayEquals(id.certificateChain(), km.getCertificateChain(alias));
    }

    // openssl is an independent peer: it checks AKI/SKI matching, key usage and purpose its own way.
    @Test
    void opensslAcceptsChainAndKey() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        IssuedIdentity id = CA.issueServer(List.of("localhost"), List.of(), Duration.ofDays(1));
        Path ca = dir.resolve("ca.pem");
        Path leaf = dir.resolve("leaf.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(ca, Pem.encode(List.of(CA.certificate())));
        Files.writeString(leaf, Pem.encode(List.of(id.certificate())));
        Files.writeString(key, id.privateKeyPem());
        assertEquals(leaf + ": OK", openssl("verify", "-CAfile", ca.toString(), "-purpose", "sslserver",
                "-verify_hostname", "localhost", leaf.toString()));
        assertEquals("Key is valid", openssl("pkey", "-in", key.toString(), "-check", "-noout"));
    }

    private static String openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
