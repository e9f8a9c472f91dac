package io.acip.gateway.origin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.gateway.egress.Cidr;
import io.acip.gateway.egress.EgressPolicy;
import io.acip.ingress.HttpFailure;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The forwarder for direct egress resolves names itself (Jetty's HttpClient): its resolver applies the egress policy
 * to what it connects to, so a name that resolves inward at connection time is refused there too.
 */
class DirectEgressResolverTest {
    private WireMockServer origin;

    @BeforeEach
    void start() {
        origin = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        origin.start();
        origin.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void stop() {
        origin.stop();
    }

    private RecordingSink forward(EgressPolicy egress) throws Exception {
        try (OriginForwarder direct = OriginForwarder.start(OriginForwarder.Settings.defaults("gw"), egress)) {
            TestExchange ex = TestExchange.of("GET", "/", Fields.EMPTY, MemoryBody.empty(), new RecordingSink());
            direct.forward(ex, OriginConfig.of(URI.create("http://localhost:" + origin.port()))).handle((v, e) -> null)
                    .get(10, TimeUnit.SECONDS);
            return (RecordingSink) ex.response();
        }
    }

    @Test
    void anInwardAddressIsRefusedByName() throws Exception {
        HttpFailure f = forward(new EgressPolicy(true, List.of())).failure.get(10, TimeUnit.SECONDS);
        assertEquals(403, f.status());
        assertEquals(ProxyErrorType.DESTINATION_IP_PROHIBITED, f.error());
        assertTrue(f.detail().contains("localhost") && f.detail().contains("loopback"), f.detail());
        assertEquals(0, origin.getAllServeEvents().size(), "nothing reached the origin");
    }

    @Test
    void anAllowedRangeIsReached() throws Exception {
        RecordingSink sink = forward(new EgressPolicy(true, List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"))));
        assertEquals(200, sink.head.get(10, TimeUnit.SECONDS).status());
    }
}
