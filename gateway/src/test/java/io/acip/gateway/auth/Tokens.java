package io.acip.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

/** A test issuer: an ES256, an RS256 and an Ed25519 key, the JWKS of their public halves, and tokens they sign. */
public final class Tokens {
    public static final String ISSUER = "https://issuer.test";
    public static final String AUDIENCE = "acip-edge";

    public final ECKey ec;
    public final RSAKey rsa;
    public final OctetKeyPair ed;

    public Tokens() {
        try {
            ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
            rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
            ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public JWKSet publicJwks() {
        return new JWKSet(List.<JWK>of(ec.toPublicJWK(), rsa.toPublicJWK(), ed.toPublicJWK()));
    }

    /** Writes the public JWKS to {@code file} and returns it. */
    public Path writeJwks(Path file) throws java.io.IOException {
        Files.writeString(file, publicJwks().toString(true));
        return file;
    }

    /** The claims tests start from: this issuer and audience, valid for ten minutes. */
    public static JWTClaimsSet.Builder claims(String subject, String... groups) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
                .claim("groups", List.of(groups));
    }

    public String es256(JWTClaimsSet claims) {
        return sign(claims, JWSAlgorithm.ES256, ec.getKeyID(), signer(ec));
    }

    public String rs256(JWTClaimsSet claims) {
        return sign(claims, JWSAlgorithm.RS256, rsa.getKeyID(), signer(rsa));
    }

    public String eddsa(JWTClaimsSet claims) {
        return sign(claims, JWSAlgorithm.EdDSA, ed.getKeyID(), signer(ed));
    }

    private static JWSSigner signer(JWK key) {
        try {
            if (key instanceof ECKey k) return new ECDSASigner(k);
            if (key instanceof RSAKey k) return new RSASSASigner(k);
            return new Ed25519Signer((OctetKeyPair) key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWTClaimsSet claims, JWSAlgorithm alg, String kid, JWSSigner signer) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of an API key, as the configuration holds it. */
    public static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
