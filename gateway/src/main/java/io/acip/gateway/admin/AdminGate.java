package io.acip.gateway.admin;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * What an admin request must show before an endpoint sees it, in this order:
 * <ol>
 *   <li>an {@code Origin} header, if any, listed in {@code admin.allowed_origins} (else 403): browsers add it to
 *       cross-site requests, so a web page cannot drive the admin API even where no credentials are needed;</li>
 *   <li>without credentials configured (loopback only), a {@code Host} naming localhost or a loopback address
 *       (else 403), so a DNS-rebound page cannot read it either;</li>
 *   <li>with credentials configured, a client certificate chaining to {@code admin.client_ca} or
 *       {@code Authorization: Bearer} with the token of {@code admin.token_file} (else 401), except for
 *       {@code GET /healthz} and, when {@code admin.metrics_public}, {@code GET /metrics};</li>
 *   <li>a POST that carries a body declares it {@code application/json} (else 415).</li>
 * </ol>
 */
final class AdminGate {
    static final String CHALLENGE = "Bearer realm=\"acip-admin\"";

    /** Who was let in (for logs), or why not. */
    record Admission(String caller, AdminProblem refusal) {
        static Admission refused(AdminProblem p) {
            return new Admission(null, p);
        }
    }

    private final Set<String> allowedOrigins;
    private final AdminToken token; // null: no token configured
    private final AdminTls tls; // null: cleartext listener
    private final boolean metricsPublic;

    AdminGate(List<String> allowedOrigins, AdminToken token, AdminTls tls, boolean metricsPublic) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        this.token = token;
        this.tls = tls;
        this.metricsPublic = metricsPublic;
    }

    private boolean credentialed() {
        return token != null || tls != null && tls.takesClientCertificates();
    }

    Admission admit(Request request) {
        for (String origin : request.getHeaders().getValuesList(HttpHeader.ORIGIN)) {
            if (!allowedOrigins.contains(origin)) {
                return Admission.refused(new AdminProblem(403, "origin-not-allowed", "requests from origin " + origin
                        + " are refused: it is not listed in admin.allowed_origins", Map.of("origin", origin)));
            }
        }
        String method = request.getMethod();
        String path = Request.getPathInContext(request);
        Admission who;
        if (!credentialed()) {
            String host = request.getHttpURI().getHost();
            if (!isLocal(host)) {
                return Admission.refused(new AdminProblem(403, "host-not-local", "this admin listener takes no "
                        + "credentials, so it answers only requests for localhost or a loopback address, not " + host,
                        Map.of("host", String.valueOf(host))));
            }
            who = new Admission("a local caller (no credentials configured)", null);
        } else if (method.equals("GET") && (path.equals("/healthz") || path.equals("/metrics") && metricsPublic)) {
            who = new Admission("anyone (open endpoint)", null);
        } else {
            who = authenticate(request);
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        // A body-less POST (/drain) declares nothing; one that carries content must declare JSON.
        boolean content = request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (who.refusal() == null && method.equals("POST") && content && !isJson(type)) {
            return Admission.refused(new AdminProblem(415, "unsupported-media-type", "request bodies must be "
                    + "application/json, not " + type));
        }
        return who;
    }

    private Admission authenticate(Request request) {
        if (tls != null && tls.takesClientCertificates()
                && request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData ssl
                && tls.trusts(ssl.peerCertificates())) {
            return new Admission("certificate " + ssl.peerCertificates()[0].getSubjectX500Principal(), null);
        }
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization == null) {
            boolean certificates = tls != null && tls.takesClientCertificates();
            return Admission.refused(new AdminProblem(401, "unauthenticated", "admin requests need "
                    + (token != null ? "Authorization: Bearer with the token of admin.token_file" : "")
                    + (token != null && certificates ? ", or " : "")
                    + (certificates ? "a client certificate from admin.client_ca" : "")));
        }
        // RFC 6750 §2.1: the scheme is case-insensitive, the token follows one or more spaces.
        String[] parts = authorization.trim().split(" +", 2);
        if (token == null || parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || !token.matches(parts[1])) {
            return Admission.refused(new AdminProblem(401, "unauthenticated",
                    "the credentials in Authorization are not the admin token"));
        }
        return new Admission("the admin token", null);
    }

    /** RFC 9110 §8.3.1: the media type is case-insensitive; parameters such as charset may follow. */
    private static boolean isJson(String contentType) {
        if (contentType == null) return false;
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.toLowerCase(Locale.ROOT).equals("application/json");
    }

    /** localhost, or an IP literal in a loopback range; names are not looked up. */
    private static boolean isLocal(String host) {
        if (host == null) return false;
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) return true;
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(h);
        try {
            return literal != null && InetAddress.getByAddress(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
