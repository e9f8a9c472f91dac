package io.acip.gateway.auth;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.gateway.policy.Principal;
import io.acip.ingress.HttpFailure;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The identify stage (DESIGN §7): who an agent is, from the credential its request presents (a bearer JWT, an API
 * key) or the TLS client certificate of its connection, whatever the HTTP version. Header credentials win over a
 * certificate; an agent with neither is anonymous, which only the policy can admit. A credential that is presented
 * and not good is refused here: {@code 401} with {@code WWW-Authenticate} where the agent addressed the gateway as an
 * origin, {@code 407} with {@code Proxy-Authenticate} where it used it as a proxy, both {@code http_request_denied}.
 */
public final class AgentAuthenticator implements AutoCloseable {
    /** How the request addressed the gateway, which says where its credential is and how to challenge. */
    public enum Addressing {
        /** origin-form (reverse proxy): {@code Authorization}, 401. */
        ORIGIN,
        /** absolute-form and CONNECT (forward proxy): {@code Proxy-Authorization}, 407. */
        PROXY,
        /** CONNECT-UDP (RFC 9298): a proxy, so 407, but clients send either field. */
        MASQUE
    }

    /** What identification found. */
    public sealed interface Identification {
    }

    /**
     * The agent is {@code principal}; {@code consumedAuthorization} when its {@code Authorization} field was the
     * gateway's credential (removed before forwarding unless the policy passes it on).
     */
    public record Identified(Principal principal, boolean consumedAuthorization) implements Identification {
    }

    public record Refused(HttpFailure failure) implements Identification {
    }

    private static final Identified ANONYMOUS = new Identified(Principal.ANONYMOUS, false);

    private final boolean enabled;
    private final boolean anonymous;
    private final JwtVerifier jwt;
    private final ApiKeys apiKeys;
    private final ClientCertificates mtls;
    private final String realm;

    AgentAuthenticator(boolean enabled, boolean anonymous, JwtVerifier jwt, ApiKeys apiKeys, ClientCertificates mtls,
                       String realm) {
        this.enabled = enabled;
        this.anonymous = anonymous;
        this.jwt = jwt;
        this.apiKeys = apiKeys;
        this.mtls = mtls;
        this.realm = quotable(realm);
    }

    /** Without an {@code auth} section: everyone is anonymous and every credential field passes on untouched. */
    public static AgentAuthenticator none() {
        return new AgentAuthenticator(false, true, null, new ApiKeys(List.of()), null, "acip");
    }

    /** Begins what runs in the background (fetching a JWKS from its URL); a checked-only configuration never does. */
    public void start() {
        if (jwt != null) jwt.start();
    }

    @Override
    public void close() {
        if (jwt != null) jwt.close();
    }

    /** Whether an {@code auth} section is configured. */
    public boolean enabled() {
        return enabled;
    }

    public Identification identify(Fields headers, Addressing addressing, List<X509Certificate> clientCertificates) {
        if (!enabled) return ANONYMOUS;
        // A verified client certificate names the caller: header credentials are then the origin's business (an
        // agent on mTLS may carry its skill's own bearer token).
        if (mtls != null) {
            Optional<Principal> p = mtls.principal(clientCertificates);
            if (p.isPresent()) return new Identified(p.get(), false);
        }
        String proxyField = headers.first("proxy-authorization").orElse(null);
        String originField = headers.first("authorization").orElse(null);
        boolean fromOrigin = addressing == Addressing.ORIGIN || addressing == Addressing.MASQUE && proxyField == null;
        Optional<Credential> credential = Credential.parse(fromOrigin ? originField : proxyField);
        if (credential.isEmpty()) {
            return anonymous ? ANONYMOUS : new Refused(challenge(addressing, null, "credentials required"));
        }
        Credential c = credential.get();
        if (c instanceof Credential.Malformed m) {
            // RFC 6750 §3.1 invalid_request: a malformed credential is the agent's bug, not a missing right.
            return new Refused(new HttpFailure(400, ProxyErrorType.HTTP_REQUEST_ERROR, "malformed credentials: "
                    + m.why()));
        }
        if (c instanceof Credential.OtherScheme o) {
            return new Refused(challenge(addressing, null, "scheme " + o.scheme() + " is not accepted here"));
        }
        try {
            return new Identified(principal(c), fromOrigin);
        } catch (CredentialException e) {
            // RFC 6750 §3: error="invalid_token" belongs to a Bearer token; a Basic credential just gets the challenge.
            return new Refused(challenge(addressing, c instanceof Credential.Bearer ? e.getMessage() : null,
                    "credentials refused: " + e.getMessage()));
        }
    }

    private Principal principal(Credential c) throws CredentialException {
        if (c instanceof Credential.Basic b) {
            return apiKeys.match(b.key()).orElseThrow(() -> new CredentialException("unknown API key"));
        }
        String token = ((Credential.Bearer) c).token();
        if (jwt != null && looksLikeJwt(token)) return jwt.verify(token);
        if (!apiKeys.isEmpty()) {
            return apiKeys.match(token).orElseThrow(() -> new CredentialException("unknown API key"));
        }
        throw new CredentialException(jwt == null ? "this gateway takes no bearer tokens" : "not a JWT");
    }

    /** A JWS in compact serialisation has three dot-separated parts (RFC 7515 §7.1); an API key has none. */
    private static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first + 1;
    }

    /**
     * The refusal of a request without good credentials, challenging for the schemes this gateway takes (RFC 9110
     * §11.6.1; RFC 6750 §3: {@code error="invalid_token"} when {@code invalidToken} says why a presented bearer token
     * is not good). A gateway that takes client certificates only has no scheme to offer: it answers 403.
     */
    public HttpFailure challenge(Addressing addressing, String invalidToken, String detail) {
        boolean bearer = jwt != null || !apiKeys.isEmpty();
        if (!bearer) {
            return new HttpFailure(403, ProxyErrorType.HTTP_REQUEST_DENIED, detail + " (a client certificate)");
        }
        boolean proxy = addressing != Addressing.ORIGIN;
        String field = proxy ? "proxy-authenticate" : "www-authenticate";
        HttpFailure f = new HttpFailure(proxy ? 407 : 401, ProxyErrorType.HTTP_REQUEST_DENIED, detail)
                .withField(field, "Bearer realm=\"" + realm + "\"" + (invalidToken == null ? ""
                        : ", error=\"invalid_token\", error_description=\"" + quotable(invalidToken) + "\""));
        if (!apiKeys.isEmpty()) f = f.withField(field, "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
        return f;
    }

    /** RFC 6750 §3: error_description is %x20-21 / %x23-5B / %x5D-7E. */
    private static String quotable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            b.append(ch >= 0x20 && ch <= 0x7e && ch != '"' && ch != '\\' ? ch : '?');
        }
        return b.toString();
    }
}
