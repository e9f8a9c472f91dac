// java JavaHttpClient.java   (single-file source launch, JDK 17+)
import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

public class JavaHttpClient {
    public static void main(String[] args) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = new FileInputStream("data/demo/ca/ca.pem")) {
            trust.setCertificateEntry("fabric", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", 8080)))
                .sslContext(tls)
                .build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://echo.demo.acip/from-java")).build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.println(r.headers().firstValue("acip-trajectory").orElse("?") + " " + r.body());
    }
}
