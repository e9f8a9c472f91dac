package io.acip.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import io.acip.capsule.bhttp.Fields;
import io.acip.gateway.auth.AgentAuthenticator.Addressing;
import io.acip.gateway.auth.AgentAuthenticator.Identified;
import io.acip.gateway.auth.AgentAuthenticator.Refused;
import io.acip.gateway.config.ConfigException;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.policy.Principal;
import io.acip.tls.FabricCa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per rule of the identify stage: every credential form, every way a token is wrong. */
class AgentAuthenticatorTest {
    @TempDir
    static Path dir;
    static Tokens tokens;
    static AgentAuthenticator auth;

    @BeforeAll
    static void setUp() throws Exception {
        tokens = new Tokens();
        auth = AuthConfig.authenticator(new GatewayConfig.Auth(false,
                new GatewayConfig.Jwt(tokens.writeJwks(dir.resolve("jwks.json")).toString(), null, Tokens.ISSUER,
                        Tokens.AUDIENCE, null, "30s", null),
                List.of(new GatewayConfig.ApiKey("ci-bot", Tokens.sha256("key-ci"), List.of("ci"))),
                new GatewayConfig.Mtls(writeCa(), List.of("mtls"))), "acip-edge");
    }

    private static String writeCa() throws Exception {
        FabricCa ca = FabricCa.loadOrCreate(dir.resolve("ca"), "test");
        return dir.resolve("ca").resolve(FabricCa.CERT_FILE).toString();
    }

    private static Fields bearer(String token) {
        return Fields.of("authorization", "Bearer " + token);
    }

    private static Principal identified(Fields headers, Addressing a) {
        var id = auth.identify(headers, a, List.of());
        return assertInstanceOf(Identified.class, id, () -> ((Refused) id).failure().toString()).principal();
    }

    private static Refused refused(Fields headers, Addressing a) {
        return assertInstanceOf(Refused.class, auth.identify(headers, a, List.of()));
    }

    @Test
    void es256Rs256AndEdDsaTokensNameIssuerSlashSubjectWithTheirGroups() {
        JWTClaimsSet c = Tokens.claims("alice", "payments", "ci").build();
        for (String token : List.of(tokens.es256(c), tokens.rs256(c), tokens.eddsa(c))) {
            Principal p = identified(bearer(token), Addressing.ORIGIN);
            assertEquals("https://issuer.test/alice", p.identity());
            assertEquals(List.of("payments", "ci"), p.groups());
            assertEquals(Principal.Method.JWT, p.method());
        }
    }

    @Test
    void groupsMayBeOneSpaceSeparatedString() {
        String token = tokens.es256(Tokens.claims("bob").claim("groups", "a b,c").build());
        assertEquals(List.of("a", "b", "c"), identified(bearer(token), Addressing.ORIGIN).groups());
    }

    @Test
    void expiredNotYetValidWrongAudienceAndWrongIssuerAreRefusedWithTheReason() {
        Instant now = Instant.now();
        assertInvalid(Tokens.claims("a").expirationTime(Date.from(now.minusSeconds(120))).build(), "token expired");
        assertInvalid(Tokens.claims("a").notBeforeTime(Date.from(now.plusSeconds(600))).build(), "not yet valid");
        assertInvalid(Tokens.claims("a").audience("someone-else").build(), "audience");
        assertInvalid(Tokens.claims("a").issuer("https://evil.test").build(), "issuer");
        assertInvalid(Tokens.claims("a").expirationTime(null).build(), "required claim");
    }

    @Test
    void aSmallClockSkewIsTolerated() {
        String token = tokens.es256(Tokens.claims("skewed").expirationTime(Date.from(Instant.now().minusSeconds(5)))
                .build());
        assertEquals("https://issuer.test/skewed", identified(bearer(token), Addressing.ORIGIN).identity());
    }

    private static void assertInvalid(JWTClaimsSet claims, String reason) {
        Refused r = refused(bearer(tokens.es256(claims)), Addressing.ORIGIN);
        assertEquals(401, r.failure().status());
        String challenge = r.failure().fields().first("www-authenticate").orElseThrow();
        assertTrue(challenge.startsWith("Bearer realm=\"acip-edge\", error=\"invalid_token\""), challenge);
        assertTrue(r.failure().detail().contains(reason), r.failure().detail());
    }

    @Test
    void aTamperedSignatureAnUnknownKeyAndAnUnsignedTokenAreRefused() throws Exception {
        String good = tokens.es256(Tokens.claims("alice", "ci").build());
        String[] parts = good.split("\\.");
        String forgedClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                Tokens.claims("mallory", "admin").build().toString().getBytes(StandardCharsets.UTF_8));
        refused(bearer(parts[0] + "." + forgedClaims + "." + parts[2]), Addressing.ORIGIN);
        Tokens stranger = new Tokens();
        refused(bearer(stranger.es256(Tokens.claims("alice").build())), Addressing.ORIGIN);
        String none = new PlainJWT(Tokens.claims("alice").build()).serialize();
        refused(bearer(none), Addressing.ORIGIN);
        // HS256 signed with the public key as the secret: the classic algorithm confusion.
        var hs = new com.nimbusds.jwt.SignedJWT(new JWSHeader(JWSAlgorithm.HS256), Tokens.claims("alice").build());
        hs.sign(new com.nimbusds.jose.crypto.MACSigner(tokens.rsa.toPublicJWK().toRSAPublicKey().getEncoded()));
        refused(bearer(hs.serialize()), Addressing.ORIGIN);
    }

    @Test
    void apiKeysAsBearerAndAsBasicPassword() {
        assertEquals("apikey:ci-bot", identified(bearer("key-ci"), Addressing.ORIGIN).identity());
        String basic = "Basic " + Base64.getEncoder().encodeToString("ci-bot:key-ci".getBytes(StandardCharsets.UTF_8));
        Principal p = identified(Fields.of("proxy-authorization", basic), Addressing.PROXY);
        assertEquals(List.of("ci"), p.groups());
        Refused r = refused(Fields.of("proxy-authorization", "Bearer key-wrong"), Addressing.PROXY);
        assertEquals(407, r.failure().status());
        List<String> challenges = r.failure().fields().lines().stream()
                .filter(f -> f.name().equals("proxy-authenticate")).map(io.acip.capsule.bhttp.Field::value).toList();
        assertEquals(2, challenges.size(), challenges.toString());
        assertTrue(challenges.get(1).startsWith("Basic realm=\"acip-edge\""));
    }

    @Test
    void eachAddressingReadsItsOwnField() {
        // A proxy request's Authorization belongs to the origin: the gateway neither reads nor consumes it.
        refused(Fields.of("authorization", "Bearer key-ci"), Addressing.PROXY);
        Identified masque = (Identified) auth.identify(Fields.of("authorization", "Bearer key-ci"), Addressing.MASQUE,
                List.of());
        assertTrue(masque.consumedAuthorization());
        Identified proxy = (Identified) auth.identify(Fields.of("proxy-authorization", "Bearer key-ci"),
                Addressing.PROXY, List.of());
        assertFalse(proxy.consumedAuthorization());
    }

    @Test
    void noCredentialsIsAChallengeWithoutErrorWhenAnonymousIsOff() {
        Refused r = refused(Fields.EMPTY, Addressing.ORIGIN);
        assertEquals("Bearer realm=\"acip-edge\"", r.failure().fields().first("www-authenticate").orElseThrow());
        assertEquals(io.acip.capsule.proxystatus.ProxyErrorType.HTTP_REQUEST_DENIED, r.failure().error());
    }

    @Test
    void malformedCredentialsAre400AndOtherSchemesAreChallenged() {
        for (String v : List.of("Bearer", "Bearer a b", "Basic !!!", "Basic "
                + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)))) {
            Refused r = refused(Fields.of("authorization", v), Addressing.ORIGIN);
            assertEquals(400, r.failure().status(), v);
            assertEquals(io.acip.capsule.proxystatus.ProxyErrorType.HTTP_REQUEST_ERROR, r.failure().error());
        }
        Refused digest = refused(Fields.of("authorization", "Digest username=\"x\""), Addressing.ORIGIN);
        assertEquals(401, digest.failure().status());
        assertEquals("Bearer realm=\"acip-edge\"", digest.failure().fields().first("www-authenticate").orElseThrow());
    }

    @Test
    void aFailedBasicCredentialGetsTheChallengeWithoutABearerError() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("ci-bot:nope".getBytes(StandardCharsets.UTF_8));
        Refused r = refused(Fields.of("proxy-authorization", basic), Addressing.PROXY);
        assertEquals("Bearer realm=\"acip-edge\"", r.failure().fields().first("proxy-authenticate").orElseThrow());
    }

    @Test
    void aGatewayTakingOnlyClientCertificatesAnswersWithoutOneWith403() throws Exception {
        AgentAuthenticator mtlsOnly = AuthConfig.authenticator(new GatewayConfig.Auth(false, null, null,
                new GatewayConfig.Mtls(dir.resolve("ca").resolve(FabricCa.CERT_FILE).toString(), null)), "gw");
        Refused r = (Refused) mtlsOnly.identify(Fields.EMPTY, Addressing.ORIGIN, List.of());
        assertEquals(403, r.failure().status());
        assertTrue(r.failure().fields().isEmpty());
    }

    @Test
    void aClientCertificateNamesItsSanUri() throws Exception {
        FabricCa ca = FabricCa.load(dir.resolve("ca"));
        var id = ca.issueNode("agent-7", Duration.ofDays(1));
        var r = auth.identify(Fields.EMPTY, Addressing.ORIGIN, List.of(id.certificate()));
        Principal p = ((Identified) r).principal();
        assertEquals("acip://node/agent-7", p.identity());
        assertEquals(List.of("mtls"), p.groups());
        // The certificate names the caller; an Authorization field is then the origin's and is not consumed.
        Identified withBearer = (Identified) auth.identify(bearer("an-origin-token"), Addressing.ORIGIN,
                List.of(id.certificate()));
        assertEquals("acip://node/agent-7", withBearer.principal().identity());
        assertFalse(withBearer.consumedAuthorization());
    }

    @Test
    void aVerifiedTokenIsCachedAndARepeatedBadOneToo() throws Exception {
        JwtVerifier v = new JwtVerifier(JwtVerifier.keys(tokens.publicJwks()), Tokens.ISSUER, Tokens.AUDIENCE,
                "groups", Duration.ofSeconds(30));
        String t = tokens.es256(Tokens.claims("cached").build());
        v.verify(t);
        v.verify(t);
        assertEquals(1, v.cached());
        for (int i = 0; i < 3; i++) {
            try {
                v.verify("a.b.c");
            } catch (CredentialException expected) {
                // refused, once checked
            }
        }
        assertEquals(2, v.cached());
    }

    @Test
    void badConfigurationIsRefusedWithItsPath() {
        assertConfig("auth.jwt.issuer", new GatewayConfig.Auth(false, new GatewayConfig.Jwt("x", null, null, "a",
                null, null, null), null, null));
        assertConfig("auth.jwt: exactly one", new GatewayConfig.Auth(false, new GatewayConfig.Jwt(null, null, "i",
                "a", null, null, null), null, null));
        assertConfig("auth.jwt.jwks_url", new GatewayConfig.Auth(false, new GatewayConfig.Jwt(null,
                "http://issuer.example/jwks", "i", "a", null, null, null), null, null));
        assertConfig("auth.api_keys[0].sha256", new GatewayConfig.Auth(false, null,
                List.of(new GatewayConfig.ApiKey("k", "abc", null)), null));
        assertConfig("auth.api_keys[1].name", new GatewayConfig.Auth(false, null,
                List.of(new GatewayConfig.ApiKey("k", Tokens.sha256("1"), null),
                        new GatewayConfig.ApiKey("k", Tokens.sha256("2"), null)), null));
        assertConfig("auth: names no way", new GatewayConfig.Auth(false, null, null, null));
        assertConfig("auth.jwt.jwks_file", new GatewayConfig.Auth(false, new GatewayConfig.Jwt(
                dir.resolve("missing.json").toString(), null, "i", "a", null, null, null), null, null));
    }

    private static void assertConfig(String expected, GatewayConfig.Auth a) {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> AuthConfig.authenticator(a, "gw"));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
