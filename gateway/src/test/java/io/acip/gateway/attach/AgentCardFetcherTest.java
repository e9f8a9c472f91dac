package io.acip.gateway.attach;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.acip.wire.SkillName;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentCardFetcherTest {
    private static final String CARD = "/agents/travel" + AgentCardFetcher.WELL_KNOWN_PATH;
    private static HttpClient client;
    private WireMockServer agent;
    private AgentCardFetcher fetcher;

    @BeforeAll
    static void startClient() throws Exception {
        client = new HttpClient();
        client.start();
    }

    @AfterAll
    static void stopClient() throws Exception {
        client.stop();
    }

    @BeforeEach
    void startAgent() {
        agent = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        agent.start();
        fetcher = new AgentCardFetcher(client, Duration.ofMillis(1500));
    }

    @AfterEach
    void stopAgent() {
        agent.stop();
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + agent.port() + "/agents/travel/");
    }

    private Throwable failure() throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> fetcher.fetch(base(), new SkillName("travel")).get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void fetchesAndReadsTheCard() throws Exception {
        agent.stubFor(get(urlEqualTo(CARD)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(Fixtures.bytes("card-v03.json"))));

        AgentRegistration r = fetcher.fetch(base(), new SkillName("travel")).get(10, TimeUnit.SECONDS);

        assertEquals("Travel Agent", r.agent());
        assertEquals(2, r.skills().size());
        agent.verify(getRequestedFor(urlEqualTo(CARD)).withHeader("Accept",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("application/json")));
    }

    @Test
    void aMissingCardIsAnIoFailure() throws Exception {
        agent.stubFor(get(urlEqualTo(CARD)).willReturn(aResponse().withStatus(404)));

        Throwable t = failure();
        assertInstanceOf(IOException.class, t);
        assertTrue(t.getMessage().endsWith("answered 404"), t.getMessage());
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        agent.stubFor(get(urlEqualTo(CARD)).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://169.254.169.254/latest/meta-data")));

        Throwable t = failure();
        assertTrue(t.getMessage().endsWith("answered 302"), t.getMessage());
    }

    @Test
    void aCardOverOneMebibyteIsRefused() throws Exception {
        byte[] big = new byte[AgentCardFetcher.MAX_CARD_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        agent.stubFor(get(urlEqualTo(CARD)).willReturn(aResponse().withStatus(200).withBody(big)));

        Throwable t = failure();
        assertInstanceOf(IOException.class, t);
        assertTrue(t.getMessage().contains("larger than"), t.getMessage());
    }

    @Test
    void aSlowAgentTimesOut() throws Exception {
        agent.stubFor(get(urlEqualTo(CARD)).willReturn(aResponse().withStatus(200).withFixedDelay(5_000)
                .withBody(Fixtures.bytes("card-v03.json"))));

        Throwable t = failure();
        assertInstanceOf(IOException.class, t);
        assertInstanceOf(java.util.concurrent.TimeoutException.class, t.getCause());
    }

    @Test
    void aMalformedCardNamesTheField() throws Exception {
        agent.stubFor(get(urlEqualTo(CARD)).willReturn(aResponse().withStatus(200).withBody(
                "{\"name\":\"a\",\"url\":\"http://x.example\",\"skills\":[{\"id\":\"ok\"},{\"id\":\"\"}]}")));

        Throwable t = failure();
        RegistrationException e = assertInstanceOf(RegistrationException.class, t);
        assertEquals("skills[1].id", e.path());
    }

    @Test
    void theCardSitsUnderTheBasePath() {
        assertEquals(URI.create("http://a.example:8080/.well-known/agent-card.json"),
                AgentCardFetcher.cardUri(URI.create("http://a.example:8080")));
        assertEquals(URI.create("http://a.example/t/.well-known/agent-card.json"),
                AgentCardFetcher.cardUri(URI.create("http://a.example/t/")));
    }
}
