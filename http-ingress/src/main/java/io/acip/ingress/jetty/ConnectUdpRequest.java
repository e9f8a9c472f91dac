package io.acip.ingress.jetty;

import io.acip.capsule.masque.CapsuleProtocolHeader;
import io.acip.capsule.masque.ConnectUdpMatch;
import io.acip.capsule.masque.ConnectUdpRejection;
import io.acip.capsule.masque.ConnectUdpTarget;
import io.acip.capsule.masque.ConnectUdpTemplate;
import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.ConnectRequest;
import io.acip.ingress.HttpFailure;
import java.net.InetSocketAddress;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.TunnelSupport;

/**
 * A CONNECT-UDP request (RFC 9298 §3) read off a Jetty request: either HTTP/1.1 {@code GET} with
 * {@code Upgrade: connect-udp} (§3.2) or HTTP/2 extended CONNECT with {@code :protocol connect-udp} (§3.4, RFC 8441).
 * {@link #parse} yields the target or throws the rejection to answer with, so the caller never re-decides a status.
 *
 * @param target where the agent wants UDP payloads to go, as the template gave it
 * @param connect the contract's view of the request (host, port, fields, protocol {@code connect-udp}, agent)
 */
record ConnectUdpRequest(ConnectUdpTarget target, ConnectRequest connect) {
    /** The HTTP Upgrade token and {@code :protocol} value (RFC 9298 §3, §9.1). */
    static final String PROTOCOL = "connect-udp";

    /**
     * Whether the request asks for CONNECT-UDP at all (and so is refused in CONNECT-UDP's terms when malformed):
     * an extended CONNECT naming it, or an HTTP/1.1 request whose Upgrade names it, whatever its method (RFC 9110
     * §7.8: an Upgrade in an HTTP/1.0 request is ignored).
     */
    static boolean isConnectUdp(Request request) {
        TunnelSupport tunnel = request.getTunnelSupport();
        if (HttpMethod.CONNECT.is(request.getMethod()) && tunnel != null && tunnel.getProtocol() != null) {
            return PROTOCOL.equalsIgnoreCase(tunnel.getProtocol());
        }
        return request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1
                && upgradesToConnectUdp(request);
    }

    /**
     * Checks the request against RFC 9298 §3 and the gateway's one template.
     *
     * @throws RejectedRequest with 405 (wrong HTTP/1.1 method; the caller adds {@code Allow: GET}) or 400
     */
    static ConnectUdpRequest parse(Request request, ConnectUdpTemplate template, InetSocketAddress agent)
            throws RejectedRequest {
        if (!isHttp2OrLater(request) && !HttpMethod.GET.is(request.getMethod())) {
            // RFC 9298 §3.2: "the method SHALL be GET".
            throw new RejectedRequest(new HttpFailure(405, ProxyErrorType.HTTP_REQUEST_ERROR,
                    "CONNECT-UDP over HTTP/1.1 uses GET, not " + request.getMethod()));
        }
        // RFC 9298 §3.2/§3.4: the request SHALL include a Capsule-Protocol field with the value ?1.
        if (!CapsuleProtocolHeader.isTrue(request.getHeaders().getValuesList(CapsuleProtocolHeader.NAME))) {
            throw badRequest("CONNECT-UDP needs the Capsule-Protocol field set to ?1 (RFC 9298 Section 3)");
        }
        String pathQuery = request.getHttpURI().getPathQuery();
        ConnectUdpMatch match = template.match(pathQuery == null ? "" : pathQuery);
        if (match instanceof ConnectUdpRejection rejection) {
            // The gateway serves one template: a path that is not its resource is a bad CONNECT-UDP request, not 404.
            String details = rejection.httpStatus() == 404
                    ? "request path does not match this gateway's CONNECT-UDP URI template " + template
                    : rejection.details();
            throw badRequest(details);
        }
        ConnectUdpTarget target = (ConnectUdpTarget) match;
        try {
            return new ConnectUdpRequest(target, new ConnectRequest(target.host(), target.port(),
                    HeaderFields.fromJetty(request.getHeaders()), PROTOCOL, agent,
                    RequestInfoReader.clientCertificates(request), RequestInfoReader.tunnel(request)));
        } catch (IllegalArgumentException e) {
            throw badRequest("malformed header field");
        }
    }

    private static RejectedRequest badRequest(String details) {
        return new RejectedRequest(new HttpFailure(400, ProxyErrorType.HTTP_REQUEST_ERROR, details));
    }

    private static boolean isHttp2OrLater(Request request) {
        HttpVersion v = request.getConnectionMetaData().getHttpVersion();
        return v == HttpVersion.HTTP_2 || v == HttpVersion.HTTP_3;
    }

    /** RFC 9110 §7.8: Upgrade is a list of protocols; a token matches case-insensitively, any version suffix not. */
    private static boolean upgradesToConnectUdp(Request request) {
        for (String value : request.getHeaders().getCSV(HttpHeader.UPGRADE, false)) {
            if (PROTOCOL.equalsIgnoreCase(value.strip())) return true;
        }
        return false;
    }
}
