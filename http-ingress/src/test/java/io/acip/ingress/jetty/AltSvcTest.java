package io.acip.ingress.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acip.ingress.masque.MasqueClient.Flow;
import io.acip.ingress.masque.PipeliningMasqueClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** With HTTP/3 on, both TCP listeners advertise it (RFC 7838, RFC 9114 §3.1.1) on every response. */
@SuppressWarnings("try") // MasqueClient.close() throws Exception, as the fixed interface declares
class AltSvcTest extends UdpFixture {
    @Override
    IngressConfig.Builder configure(IngressConfig.Builder builder) {
        return builder.http3(true);
    }

    private String expected() {
        return "h3=\":" + server.tlsPort() + "\"; ma=86400";
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void exchangesOnBothListenersCarryAltSvc(HttpClient.Version version) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(version).sslContext(TestPki.clientContext()).build();
        for (String base : new String[] {"http://127.0.0.1:" + server.cleartextPort(),
                "https://localhost:" + server.tlsPort()}) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/echo")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals(expected(), response.headers().firstValue("alt-svc").orElse(null), base + " " + version);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectUdpAnswersCarryAltSvc(Transport transport) throws Exception {
        try (PipeliningMasqueClient client = transport.client(server)) {
            try (Flow flow = client.open(authority(), path("192.0.2.7", 53), TIMEOUT)) {
                assertEquals(transport.successStatus(), flow.status());
                assertEquals(expected(), header(flow, "alt-svc"));
            }
            try (Flow flow = client.open(authority(), path("blocked.example", 53), TIMEOUT)) {
                assertEquals(403, flow.status());
                assertEquals(expected(), header(flow, "alt-svc"));
            }
        }
    }

    @Test
    void withoutHttp3NothingIsAdvertised() throws Exception {
        try (IngressServer plain = new IngressServer(IngressConfig.builder(PROXY_NAME)
                .cleartext(new java.net.InetSocketAddress("127.0.0.1", 0)).build(), handler)) {
            plain.start();
            try (RawHttp1 agent = new RawHttp1(plain.cleartextPort())) {
                String head = agent.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
                assertEquals(200, RawHttp1.status(head), head);
                assertEquals(java.util.Optional.empty(), RawHttp1.header(head, "alt-svc"));
            }
        }
    }
}
