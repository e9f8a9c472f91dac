package io.acip.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.acip.gateway.policy.Principal;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Bearer JWTs (RFC 7519) verified with nimbus-jose-jwt: ES256, RS256 or EdDSA/Ed25519 signatures by a key of the
 * configured JWKS, {@code iss} exactly the configured issuer, {@code aud} containing the configured audience,
 * {@code exp} required and {@code nbf} honoured with a small clock skew. The identity is {@code <iss>/<sub>} (the form
 * Istio calls a request principal); groups come from a configurable claim (an array of strings, or one string of
 * space- or comma-separated names).
 *
 * <p>A token is verified once: the outcome is cached by the token's SHA-256 until the token expires (at most ten
 * minutes), and a refusal for ten seconds, so neither a busy agent nor one that repeats a bad token costs a signature
 * check per request. The cache is bounded.
 */
final class JwtVerifier implements AutoCloseable {
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256, JWSAlgorithm.EdDSA,
            JWSAlgorithm.Ed25519);
    private static final int MAX_GROUPS = 64;
    private static final int CACHE_SIZE = 10_000;
    private static final Duration MAX_CACHED = Duration.ofMinutes(10);
    private static final Duration REFUSAL_CACHED = Duration.ofSeconds(10);
    private static final String UNKNOWN_KEY = "token signed by an unknown key or with an algorithm not accepted";

    /** A verification's outcome: the principal until {@code until}, or why the token is refused. */
    private record Outcome(Principal principal, String refusal, Instant until) {
    }

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final JWKSource<SecurityContext> keys;
    private final String groupsClaim;
    private final Duration skew;
    private final Cache<String, Outcome> verified = Caffeine.newBuilder()
            .maximumSize(CACHE_SIZE)
            .expireAfter(Expiry.creating((String k, Outcome o) ->
                    Duration.between(Instant.now(), o.until()).isNegative() ? Duration.ZERO
                            : Duration.between(Instant.now(), o.until())))
            .build();

    JwtVerifier(JWKSource<SecurityContext> keys, String issuer, String audience, String groupsClaim, Duration skew) {
        this.groupsClaim = groupsClaim;
        this.skew = skew;
        this.keys = keys;
        JwksKeys selector = new JwksKeys(keys, ALGORITHMS);
        processor.setJWSKeySelector(selector);
        processor.setJWSVerifierFactory(selector);
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                audience == null ? null : Set.of(audience),
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                Set.of("iss", "sub", "exp"), Set.of());
        claims.setMaxClockSkew((int) skew.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** Keys from a JWKS document held in memory (read from {@code auth.jwt.jwks_file}). */
    static JWKSource<SecurityContext> keys(JWKSet set) {
        return new ImmutableJWKSet<>(set);
    }

    /** Keys fetched from {@code url} in the background (see {@link JwksSnapshot}); fetching begins at {@link #start}. */
    static JwksSnapshot keys(URL url, Duration refresh) {
        return new JwksSnapshot(url, refresh);
    }

    /** Begins fetching keys when they come from a URL. */
    void start() {
        if (keys instanceof JwksSnapshot s) s.start();
    }

    @Override
    public void close() {
        if (keys instanceof JwksSnapshot s) s.close();
    }

    /** The principal a token names. */
    Principal verify(String token) throws CredentialException {
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(ApiKeys.sha256(token));
        Outcome o = verified.get(key, k -> check(token));
        if (o.principal() == null) throw new CredentialException(o.refusal());
        if (!Instant.now().isBefore(o.until())) { // Caffeine's expiry is lazy by a tick: never trust an expired entry
            verified.invalidate(key);
            throw new CredentialException("token expired");
        }
        return o.principal();
    }

    private Outcome check(String token) {
        Instant now = Instant.now();
        try {
            JWTClaimsSet claims = processor.process(token, null);
            Instant exp = claims.getExpirationTime().toInstant().plus(skew);
            Instant until = exp.isBefore(now.plus(MAX_CACHED)) ? exp : now.plus(MAX_CACHED);
            return new Outcome(new Principal(claims.getIssuer() + "/" + claims.getSubject(), groups(claims),
                    Principal.Method.JWT), null, until);
        } catch (ParseException e) {
            return refusal("not a JWT", now);
        } catch (BadJOSEException e) {
            String why = reason(e);
            // A key the set lacks may be a rotation the background fetch is about to bring in: not remembered.
            return why.equals(UNKNOWN_KEY) ? new Outcome(null, why, now) : refusal(why, now);
        } catch (JOSEException e) {
            return refusal("signature not verifiable: " + e.getMessage(), now);
        }
    }

    private static Outcome refusal(String why, Instant now) {
        return new Outcome(null, why, now.plus(REFUSAL_CACHED));
    }

    /** A short reason for the agent (RFC 6750 error_description), never key material. */
    private static String reason(BadJOSEException e) {
        if (e instanceof com.nimbusds.jwt.proc.ExpiredJWTException) return "token expired";
        if (e instanceof com.nimbusds.jose.proc.BadJWSException) return "token signature invalid";
        String m = String.valueOf(e.getMessage());
        if (m.contains("before use time")) return "token not yet valid (nbf)";
        if (m.contains("aud claim")) return "token audience rejected";
        if (m.contains("iss claim")) return "token issuer rejected";
        if (m.contains("missing required claims")) return "token lacks a required claim (iss, sub, exp)";
        if (m.contains("no matching key")) return UNKNOWN_KEY;
        return "token rejected: only signed JWTs are accepted";
    }

    private List<String> groups(JWTClaimsSet claims) throws ParseException {
        Object value = claims.getClaim(groupsClaim);
        List<String> out = new ArrayList<>();
        if (value instanceof String s) {
            for (String g : s.split("[ ,]+")) if (!g.isEmpty()) out.add(g);
        } else if (value instanceof List<?> list) {
            for (Object g : list) if (g instanceof String s && !s.isEmpty()) out.add(s);
        }
        return out.size() > MAX_GROUPS ? out.subList(0, MAX_GROUPS) : out;
    }

    /** For tests: the verified entries held. */
    long cached() {
        verified.cleanUp();
        return verified.estimatedSize();
    }
}
