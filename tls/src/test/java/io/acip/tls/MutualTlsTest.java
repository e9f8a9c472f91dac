package io.acip.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.acip.tls.identity.CertificateIdentities;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real TLS 1.3 handshakes on loopback between JDK sockets, with the fabric's certificates and trust. */
class MutualTlsTest {
    private static final FabricCa CA = FabricCa.generate("mtls test CA");
    private static final FabricCa OTHER_CA = FabricCa.generate("other CA");
    private static final Duration DAY = Duration.ofDays(1);
    private static final int TIMEOUT_MS = 10_000;

    private final ExecutorService serverThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        serverThread.shutdownNow();
    }

    @Test
    void nodesAuthenticateEachOtherThroughTheCa() throws Exception {
        try (SSLServerSocket server = listen(CA.issueNode("node-b", DAY), CA.certificate(), true)) {
            Future<Optional<String>> clientSeenByServer = serveOneEcho(server);
            try (SSLSocket client = connect(server, CA.issueNode("node-a", DAY), CA.certificate(), null)) {
                echo(client);
                X509Certificate serverCert = (X509Certificate) client.getSession().getPeerCertificates()[0];
                assertEquals(Optional.of("node-b"), CertificateIdentities.nodeId(serverCert));
                assertEquals("TLSv1.3", client.getSession().getProtocol());
            }
            assertEquals(Optional.of("node-a"), clientSeenByServer.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void serverRefusesAClientCertificateFromAnotherCa() throws Exception {
        try (SSLServerSocket server = listen(CA.issueNode("node-b", DAY), CA.certificate(), true)) {
            Future<Optional<String>> served = serveOneEcho(server);
            try (SSLSocket client = connect(server, OTHER_CA.issueNode("node-a", DAY), CA.certificate(), null)) {
                // TLS 1.3: the client finishes first and learns of the refusal from the server's alert.
                assertThrows(IOException.class, () -> echo(client));
            }
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> served.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            assertInstanceOf(SSLHandshakeException.class, e.getCause());
        }
    }

    @Test
    void clientRefusesAServerCertificateFromAnotherCa() throws Exception {
        try (SSLServerSocket server = listen(OTHER_CA.issueNode("node-b", DAY), CA.certificate(), true)) {
            Future<Optional<String>> served = serveOneEcho(server);
            try (SSLSocket client = connect(server, CA.issueNode("node-a", DAY), CA.certificate(), null)) {
                assertThrows(SSLHandshakeException.class, client::startHandshake);
            }
            assertThrows(ExecutionException.class, () -> served.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void gatewayServerCertificatePassesHostnameVerification() throws Exception {
        IssuedIdentity gateway = CA.issueServer(List.of("localhost"), List.of(InetAddress.getLoopbackAddress()), DAY);
        for (String name : List.of("localhost", InetAddress.getLoopbackAddress().getHostAddress())) {
            try (SSLServerSocket server = listen(gateway, CA.certificate(), false)) {
                Future<Optional<String>> served = serveOneEcho(server);
                try (SSLSocket client = connect(server, null, CA.certificate(), name)) {
                    echo(client);
                }
                assertEquals(Optional.empty(), served.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
            }
        }
    }

    @Test
    void mintedLeafPassesHostnameVerificationForItsHostOnly() throws Exception {
        LeafCertificateMinter minter = new LeafCertificateMinter(CA);
        try (SSLServerSocket server = listen(minter.leafFor("agent.example"), CA.certificate(), false)) {
            Future<Optional<String>> served = serveOneEcho(server);
            try (SSLSocket client = connect(server, null, CA.certificate(), "agent.example")) {
                echo(client);
            }
            served.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        try (SSLServerSocket server = listen(minter.leafFor("agent.example"), CA.certificate(), false)) {
            serveOneEcho(server);
            try (SSLSocket client = connect(server, null, CA.certificate(), "other.example")) {
                assertThrows(SSLHandshakeException.class, client::startHandshake);
            }
        }
    }

    private static SSLContext context(IssuedIdentity identity, X509Certificate trustedCa) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(identity == null ? null : identity.keyManagerFactory().getKeyManagers(),
                new TrustManager[] {CertificateIdentities.trustManagerFor(trustedCa)}, null);
        return ctx;
    }

    private static SSLServerSocket listen(IssuedIdentity identity, X509Certificate trustedCa, boolean needClientAuth)
            throws Exception {
        SSLServerSocket server = (SSLServerSocket) context(identity, trustedCa).getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(needClientAuth);
        server.setSoTimeout(TIMEOUT_MS);
        return server;
    }

    /** Accepts one connection, echoes one byte; yields the node ID the client's certificate names, if any. */
    private Future<Optional<String>> serveOneEcho(SSLServerSocket server) {
        return serverThread.submit(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(TIMEOUT_MS);
                s.startHandshake();
                s.getOutputStream().write(s.getInputStream().read());
                s.getOutputStream().flush();
                return s.getNeedClientAuth()
                        ? CertificateIdentities.nodeId((X509Certificate) s.getSession().getPeerCertificates()[0])
                        : Optional.<String>empty();
            }
        });
    }

    /** A client socket; with {@code verifyHost} it checks the server's name as HTTPS clients do (RFC 6125). */
    private static SSLSocket connect(SSLServerSocket server, IssuedIdentity identity, X509Certificate trustedCa,
            String verifyHost) throws Exception {
        Socket tcp = new Socket();
        tcp.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), TIMEOUT_MS);
        SSLSocket s = (SSLSocket) context(identity, trustedCa).getSocketFactory()
                .createSocket(tcp, verifyHost == null ? "peer" : verifyHost, server.getLocalPort(), true);
        s.setSoTimeout(TIMEOUT_MS);
        if (verifyHost != null) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
        }
        return s;
    }

    private static void echo(SSLSocket client) throws IOException {
        client.startHandshake();
        client.getOutputStream().write(42);
        client.getOutputStream().flush();
        int back = client.getInputStream().read();
        if (back != 42) {
            throw new IOException("echo returned " + back);
        }
    }
}
