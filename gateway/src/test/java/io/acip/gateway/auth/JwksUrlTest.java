package io.acip.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import io.acip.capsule.bhttp.Fields;
import io.acip.gateway.auth.AgentAuthenticator.Addressing;
import io.acip.gateway.auth.AgentAuthenticator.Identified;
import io.acip.gateway.config.GatewayConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys fetched from an issuer's JWKS URL off the request path: fetched at start and held, fetched early for a key ID the
 * set lacks (that token refused until the new set is in), kept through an outage.
 */
class JwksUrlTest {
    private final Tokens a = new Tokens();
    private final Tokens b = new Tokens();
    private final AtomicReference<String> served = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger failWith = new AtomicInteger();
    private HttpServer issuer;

    @BeforeEach
    void start() throws Exception {
        issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            int status = failWith.get() == 0 ? 200 : failWith.get();
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        issuer.start();
    }

    @AfterEach
    void stop() {
        issuer.stop(0);
    }

    private AgentAuthenticator authenticator() throws Exception {
        String url = "http://127.0.0.1:" + issuer.getAddress().getPort() + "/jwks.json";
        AgentAuthenticator auth = AuthConfig.authenticator(new GatewayConfig.Auth(false, new GatewayConfig.Jwt(null,
                url, Tokens.ISSUER, Tokens.AUDIENCE, null, null, "5m"), null, null), "gw");
        assertEquals(0, fetches.get(), "a configuration that is only built (checked) fetches nothing");
        auth.start();
        return auth;
    }

    private static Object identify(AgentAuthenticator auth, String token) {
        return auth.identify(Fields.of("authorization", "Bearer " + token), Addressing.ORIGIN, List.of());
    }

    /** The identity a token names, once the key set that verifies it is in (fetched in the background), bounded. */
    private static String subject(AgentAuthenticator auth, String token) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        Object id = identify(auth, token);
        while (!(id instanceof Identified) && System.nanoTime() < deadline) {
            Thread.sleep(20); // the fetch runs on the key source's own thread: poll its effect
            id = identify(auth, token);
        }
        return assertInstanceOf(Identified.class, id, id::toString).principal().identity();
    }

    @Test
    void aRotatedKeyIsFetchedOnceItsTokensArriveAndTheSetSurvivesAnOutage() throws Exception {
        served.set(new JWKSet(a.ec.toPublicJWK()).toString());
        AgentAuthenticator auth = authenticator();
        assertEquals(Tokens.ISSUER + "/one", subject(auth, a.es256(Tokens.claims("one").build())));
        assertEquals(Tokens.ISSUER + "/two", subject(auth, a.es256(Tokens.claims("two").build())));
        int afterStart = fetches.get();
        assertEquals(1, afterStart, "fetched once at start, then held");

        // The issuer adds a key with a new ID: its first token makes the gateway fetch the set again.
        served.set(new JWKSet(List.<JWK>of(a.ec.toPublicJWK(), b.rsa.toPublicJWK())).toString());
        assertEquals(Tokens.ISSUER + "/three", subject(auth, b.rs256(Tokens.claims("three").build())));
        assertEquals(afterStart + 1, fetches.get());

        // The issuer fails: keys already held keep working.
        failWith.set(500);
        assertEquals(Tokens.ISSUER + "/four", subject(auth, a.es256(Tokens.claims("four").build())));
        auth.close();
    }

    @Test
    void aTokenFromAKeyTheIssuerDoesNotPublishIsRefused() throws Exception {
        served.set(new JWKSet(a.ec.toPublicJWK()).toString());
        AgentAuthenticator auth = authenticator();
        subject(auth, a.es256(Tokens.claims("known").build())); // the set is in
        assertInstanceOf(AgentAuthenticator.Refused.class, identify(auth, b.es256(Tokens.claims("x").build())));
        auth.close();
    }
}
