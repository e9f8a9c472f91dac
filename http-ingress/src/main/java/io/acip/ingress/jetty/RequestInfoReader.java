package io.acip.ingress.jetty;

import io.acip.capsule.bhttp.Fields;
import io.acip.ingress.RequestInfo;
import io.acip.ingress.RequestInfo.Form;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Request;

/** Reads a Jetty request's head into the protocol-neutral {@link RequestInfo}. */
final class RequestInfoReader {
    private RequestInfoReader() {
    }

    /**
     * The request as the agent sent it. A request that came through an intercepted tunnel is {@code TUNNELLED}, with
     * the CONNECT's authority (the target the agent asked for and policy approved, whatever Host says inside) and the
     * agent's own addresses; an HTTP/1.1 absolute-form request takes scheme and authority from its URI.
     *
     * @throws IllegalArgumentException if a header field cannot be represented (the caller answers 400)
     */
    static RequestInfo read(Request request) {
        ConnectionMetaData connection = request.getConnectionMetaData();
        HttpURI uri = request.getHttpURI();
        Fields headers = HeaderFields.fromJetty(request.getHeaders());
        String protocol = protocol(connection.getHttpVersion());
        String path = pathQuery(uri);
        if (connection.getRemoteSocketAddress() instanceof InterceptedOrigin origin) {
            // A tunnel carries TLS (intercepted) or plaintext HTTP/1.1, as its first bytes said.
            return new RequestInfo(request.getMethod(), request.isSecure() ? "https" : "http", origin.authority(), path,
                    headers, protocol, Form.TUNNELLED, request.isSecure(), origin.agent(), origin.listener(), List.of(),
                    origin.attachment());
        }
        boolean absolute = TargetFormHttpConnectionFactory.isAbsoluteForm(connection);
        String scheme = absolute ? uri.getScheme() : request.isSecure() ? "https" : "http";
        return new RequestInfo(request.getMethod(), scheme, uri.getAuthority(), path, headers, protocol,
                absolute ? Form.ABSOLUTE : Form.ORIGIN, request.isSecure(),
                inet(connection.getRemoteSocketAddress()), inet(connection.getLocalSocketAddress()),
                clientCertificates(request), null);
    }

    /** The agent's TLS client certificate chain, verified by the listener's trust anchors; empty when none. */
    static List<X509Certificate> clientCertificates(Request request) {
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData ssl
                && ssl.peerCertificates() != null) {
            return List.of(ssl.peerCertificates());
        }
        return List.of();
    }

    /** For a request inside an intercepted tunnel, what the handler attached to the tunnel's CONNECT; else null. */
    static Object tunnel(Request request) {
        return request.getConnectionMetaData().getRemoteSocketAddress() instanceof InterceptedOrigin origin
                ? origin.attachment() : null;
    }

    static String protocol(HttpVersion version) {
        return switch (version) {
            case HTTP_2 -> "HTTP/2";
            case HTTP_3 -> "HTTP/3";
            default -> version.asString();
        };
    }

    /** Path and query as sent; "*" for asterisk-form, "/" where an absolute-form target had an empty path. */
    private static String pathQuery(HttpURI uri) {
        String pathQuery = uri.getPathQuery();
        return pathQuery == null || pathQuery.isEmpty() ? "/" : pathQuery;
    }

    static InetSocketAddress inet(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : null;
    }
}
