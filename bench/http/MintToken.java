import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * For bench/http-bench.sh row (e): writes a JWKS with a fresh ES256 public key to args[0] and prints a token signed
 * with it (issuer https://issuer.bench, audience acip-bench, group bench, valid for an hour). Run with the gateway
 * jar on the class path, which carries nimbus-jose-jwt: {@code java -cp acip-gateway.jar MintToken.java jwks.json}.
 */
public class MintToken {
    public static void main(String[] args) throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
        Files.writeString(Path.of(args[0]), new JWKSet(key.toPublicJWK()).toString());
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://issuer.bench").audience("acip-bench")
                .subject("bench-agent").claim("groups", List.of("bench")).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("bench").build(), claims);
        jwt.sign(new ECDSASigner(key));
        System.out.println(jwt.serialize());
    }
}
