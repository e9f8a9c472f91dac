package io.acip.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.acip.capsule.bhttp.Fields;
import io.acip.gateway.auth.AgentAuthenticator;
import io.acip.gateway.auth.AuthConfig;
import io.acip.gateway.config.GatewayConfig;
import io.acip.gateway.policy.AccessPolicy;
import io.acip.gateway.policy.PolicyConfig;
import io.acip.gateway.policy.Principal;
import io.acip.wire.SkillName;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What edge authentication adds to every request (DESIGN §7): the identify stage on a bearer credential (a JWT whose
 * verification is cached after the first request, or an API key) and the authorize stage (first matching rule, the
 * caller's token bucket). Compare with the ~300 µs a request costs the gateway end to end (bench/http-bench.sh).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class EdgeAccessBenchmark {
    @Param({"jwt", "apikey"})
    public String credential;

    private AgentAuthenticator authenticator;
    private AccessPolicy policy;
    private Fields headers;
    private final Optional<SkillName> skill = Optional.of(new SkillName("bench/file"));
    private final InetAddress from = InetAddress.getLoopbackAddress();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
        Path jwks = Files.createTempFile("bench-jwks", ".json");
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
        jwks.toFile().deleteOnExit();
        String keySha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("bench-key".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        authenticator = AuthConfig.authenticator(new GatewayConfig.Auth(false,
                new GatewayConfig.Jwt(jwks.toString(), null, "https://issuer.bench", "acip-bench", null, null, null),
                List.of(new GatewayConfig.ApiKey("bench", keySha, List.of("bench"))), null), "bench");
        policy = PolicyConfig.policy(List.of(new GatewayConfig.PolicyRule(List.of("bench"), false,
                List.of("group:bench"), new GatewayConfig.Rate(1e6, 1_000_000), null, false)), true);
        String token = "bench-key";
        if (credential.equals("jwt")) {
            Instant now = Instant.now();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("bench").build(),
                    new JWTClaimsSet.Builder().issuer("https://issuer.bench").audience("acip-bench").subject("agent")
                            .claim("groups", List.of("bench")).expirationTime(Date.from(now.plusSeconds(3600)))
                            .build());
            jwt.sign(new ECDSASigner(key));
            token = jwt.serialize();
        }
        headers = Fields.of("host", "127.0.0.1", "accept", "*/*", "authorization", "Bearer " + token);
    }

    @Benchmark
    public Object identifyAndAuthorize() {
        var id = authenticator.identify(headers, AgentAuthenticator.Addressing.ORIGIN, List.of());
        Principal p = ((AgentAuthenticator.Identified) id).principal();
        return policy.decide(p, skill, from, true);
    }
}
