package io.acip.ingress.jetty;

import io.acip.tls.FabricCa;
import io.acip.tls.IssuedIdentity;
import io.acip.tls.LeafCertificateMinter;
import io.acip.tls.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/** One test CA for the whole run: the TLS listener's certificate and the interception leaves both chain to it. */
final class TestPki {
    static final FabricCa CA = FabricCa.generate("acip-ingress-test-ca");
    static final IssuedIdentity SERVER = CA.issueServer(List.of("localhost"),
            List.of(InetAddress.getLoopbackAddress()), Duration.ofDays(1));
    private static Path caPem;

    private TestPki() {
    }

    static LeafCertificateMinter minter() {
        return new LeafCertificateMinter(CA);
    }

    /** A client context trusting exactly the test CA. */
    static SSLContext clientContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, SERVER.trustManagerFactory().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CA certificate as a PEM file, for curl's --cacert. */
    static synchronized Path caPem() {
        if (caPem == null) {
            try {
                caPem = Files.createTempFile("acip-test-ca", ".pem");
                caPem.toFile().deleteOnExit();
                Files.writeString(caPem, Pem.encode(List.of(CA.certificate())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return caPem;
    }
}
