package io.acip.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.KeySourceException;
import java.security.Key;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Selects verification keys from a JWKS for the accepted algorithms, public keys only, and verifies with them.
 * nimbus's stock selector hands keys on as JCA keys, which an Ed25519 {@link OctetKeyPair} cannot become, so its
 * EdDSA verifier is never reached: here such a key travels wrapped, and the verifier factory unwraps it.
 */
final class JwksKeys implements JWSKeySelector<SecurityContext>, JWSVerifierFactory {
    /** An Ed25519 public JWK carried through the JCA-typed key selection. */
    private record OkpKey(OctetKeyPair jwk) implements PublicKey {
        @Override
        public String getAlgorithm() {
            return "Ed25519";
        }

        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }

    private final JWKSource<SecurityContext> source;
    private final Set<JWSAlgorithm> algorithms;
    private final DefaultJWSVerifierFactory jca = new DefaultJWSVerifierFactory();

    JwksKeys(JWKSource<SecurityContext> source, Set<JWSAlgorithm> algorithms) {
        this.source = source;
        this.algorithms = Set.copyOf(algorithms);
    }

    @Override
    public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        if (!algorithms.contains(header.getAlgorithm())) return List.of();
        JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
        if (matcher == null) return List.of();
        List<Key> keys = new ArrayList<>();
        for (JWK jwk : source.get(new JWKSelector(matcher), context)) {
            if (jwk.isPrivate()) jwk = jwk.toPublicJWK();
            if (jwk instanceof OctetKeyPair okp) {
                keys.add(new OkpKey(okp));
            } else {
                for (Key k : KeyConverter.toJavaKeys(List.of(jwk))) if (k instanceof PublicKey) keys.add(k);
            }
        }
        return keys;
    }

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        return key instanceof OkpKey okp ? new Ed25519Verifier(okp.jwk()) : jca.createJWSVerifier(header, key);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return algorithms;
    }

    @Override
    public JCAContext getJCAContext() {
        return jca.getJCAContext();
    }
}
