package io.acip.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.acip.tls.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Option;

/**
 * How the admin commands reach a node's admin listener: its URL, the token file (sent as a bearer token, read at each
 * run so a rotated token is used) and, for a TLS listener, the CA that signed its certificate. A picocli mixin.
 */
final class AdminClient {
    static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--admin", paramLabel = "URL", defaultValue = "http://127.0.0.1:9901",
            description = "the node's admin listener (default: ${DEFAULT-VALUE})")
    URI admin;

    @Option(names = "--token-file", paramLabel = "FILE", description = "a file holding the admin token "
            + "(admin.token_file on the node)")
    Path tokenFile;

    @Option(names = "--cacert", paramLabel = "FILE", description = "PEM certificates to trust for an https admin URL")
    Path caCert;

    /** What the listener answered: its status and body. */
    record Answer(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** The problem's detail, or the body as it came. */
        String problem() {
            try {
                JsonNode n = JSON.readTree(body);
                if (n != null && n.hasNonNull("detail")) return n.get("detail").asText();
            } catch (IOException e) {
                // not a problem document
            }
            return body;
        }
    }

    Answer send(String method, String path) throws Exception {
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (caCert != null) client.sslContext(trusting(caCert));
        HttpRequest.Builder request = HttpRequest.newBuilder(admin.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (tokenFile != null) request.header("Authorization", "Bearer " + Files.readString(tokenFile).strip());
        HttpResponse<String> r = client.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (X509Certificate c : Pem.readCertificates(pem)) ks.setCertificateEntry("ca" + i++, c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Runs one request and prints its answer (pretty JSON) or the refusal; the exit code. */
    int print(String method, String path) {
        Answer a;
        try {
            a = send(method, path);
        } catch (Exception e) {
            System.err.println(admin + ": unreachable: " + e);
            return AcipGateway.FAILED;
        }
        if (!a.ok()) {
            System.err.println(method + " " + admin.resolve(path) + ": " + a.status() + " " + a.problem());
            return AcipGateway.FAILED;
        }
        try {
            System.out.println(a.body().isEmpty() ? "ok" : JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(JSON.readTree(a.body())));
        } catch (IOException e) {
            System.out.println(a.body());
        }
        return AcipGateway.OK;
    }
}
