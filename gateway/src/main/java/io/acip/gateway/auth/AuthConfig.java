package io.acip.gateway.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.acip.gateway.config.ConfigException;
import io.acip.gateway.config.Durations;
import io.acip.gateway.config.GatewayConfig;
import io.acip.tls.Pem;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Builds the identify stage from {@code auth}, refusing a bad section with the path of the offending field. */
public final class AuthConfig {
    private static final Duration DEFAULT_SKEW = Duration.ofSeconds(60);
    private static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);

    private AuthConfig() {
    }

    /** The authenticator for {@code auth} (none configured: everyone anonymous); {@code realm} names the gateway. */
    public static AgentAuthenticator authenticator(GatewayConfig.Auth auth, String realm) throws ConfigException {
        if (auth == null) return AgentAuthenticator.none();
        JwtVerifier jwt = auth.jwt() == null ? null : jwt(auth.jwt());
        ApiKeys keys = apiKeys(auth.apiKeys());
        ClientCertificates mtls = auth.mtls() == null ? null : new ClientCertificates(auth.mtls().groups());
        if (auth.mtls() != null) clientTrust(auth);
        if (jwt == null && keys.isEmpty() && mtls == null && !auth.anonymous()) {
            throw new ConfigException("auth: names no way to authenticate (jwt, api_keys or mtls) and anonymous is "
                    + "false, so no agent could ever be served");
        }
        return new AgentAuthenticator(true, auth.anonymous(), jwt, keys, mtls, realm);
    }

    /** The trust anchors for agents' client certificates ({@code auth.mtls.trust}); empty without mTLS. */
    public static List<X509Certificate> clientTrust(GatewayConfig.Auth auth) throws ConfigException {
        if (auth == null || auth.mtls() == null) return List.of();
        String at = "auth.mtls.trust";
        if (auth.mtls().trust() == null) throw new ConfigException(at + ": required (PEM CA certificates)");
        try {
            List<X509Certificate> anchors = Pem.readCertificates(Path.of(auth.mtls().trust()));
            if (anchors.isEmpty()) throw new ConfigException(at + ": " + auth.mtls().trust() + " holds no certificate");
            return anchors;
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException(at + ": cannot read " + auth.mtls().trust() + ": " + e.getMessage());
        }
    }

    private static JwtVerifier jwt(GatewayConfig.Jwt j) throws ConfigException {
        if (j.issuer() == null || j.issuer().isBlank()) throw new ConfigException("auth.jwt.issuer: required");
        if (j.audience() == null || j.audience().isBlank()) throw new ConfigException("auth.jwt.audience: required");
        if ((j.jwksFile() == null) == (j.jwksUrl() == null)) {
            throw new ConfigException("auth.jwt: exactly one of jwks_file and jwks_url");
        }
        Duration skew = Durations.parse("auth.jwt.clock_skew", j.clockSkew(), DEFAULT_SKEW);
        if (skew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new ConfigException("auth.jwt.clock_skew: at most 5m (a wider skew keeps expired tokens alive)");
        }
        Duration refresh = Durations.parse("auth.jwt.jwks_refresh", j.jwksRefresh(), DEFAULT_REFRESH);
        JWKSource<SecurityContext> keys = j.jwksFile() != null ? fileKeys(j.jwksFile()) : urlKeys(j.jwksUrl(), refresh);
        return new JwtVerifier(keys, j.issuer(), j.audience(), j.groupsClaim(), skew);
    }

    private static JWKSource<SecurityContext> fileKeys(String file) throws ConfigException {
        try {
            JWKSet set = JWKSet.parse(Files.readString(Path.of(file)));
            if (set.getKeys().isEmpty()) throw new ConfigException("auth.jwt.jwks_file: " + file + " holds no key");
            if (set.getKeys().stream().anyMatch(k -> k.isPrivate())) {
                throw new ConfigException("auth.jwt.jwks_file: " + file + " holds a private key; give only public keys");
            }
            return JwtVerifier.keys(set);
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException("auth.jwt.jwks_file: cannot read " + file + " as a JWKS: " + e.getMessage());
        }
    }

    /** https anywhere; plain http only to a loopback host (a local issuer in development and tests). */
    private static JWKSource<SecurityContext> urlKeys(String url, Duration refresh) throws ConfigException {
        try {
            URI u = new URI(url);
            boolean loopback = u.getHost() != null && InetAddress.getByName(u.getHost()).isLoopbackAddress();
            if (!"https".equals(u.getScheme()) && !("http".equals(u.getScheme()) && loopback)) {
                throw new ConfigException("auth.jwt.jwks_url: '" + url + "' must be https (http only to loopback)");
            }
            URL parsed = u.toURL();
            return JwtVerifier.keys(parsed, refresh);
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException("auth.jwt.jwks_url: '" + url + "' is not a URL: " + e.getMessage());
        }
    }

    private static ApiKeys apiKeys(List<GatewayConfig.ApiKey> configured) throws ConfigException {
        List<ApiKeys.Key> keys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < configured.size(); i++) {
            GatewayConfig.ApiKey k = configured.get(i);
            String at = "auth.api_keys[" + i + "]";
            if (k.name() == null || !k.name().matches("[A-Za-z0-9._~-]{1,64}")) {
                throw new ConfigException(at + ".name: 1-64 of A-Z a-z 0-9 . _ ~ - (it becomes apikey:<name>)");
            }
            if (!names.add(k.name())) throw new ConfigException(at + ".name: '" + k.name() + "' listed twice");
            try {
                keys.add(new ApiKeys.Key(k.name(), ApiKeys.digest(k.sha256()), k.groups()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(at + ".sha256: " + e.getMessage());
            }
        }
        return new ApiKeys(keys);
    }
}
