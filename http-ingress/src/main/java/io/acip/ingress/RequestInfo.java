package io.acip.ingress;

import io.acip.capsule.bhttp.Fields;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The request as the agent sent it.
 *
 * @param scheme {@code http} or {@code https} (the scheme of the target, also for absolute-form requests)
 * @param authority host[:port] of the target (Host header or :authority, or the absolute-form URI's authority)
 * @param path path and query in origin form, as sent (never decoded)
 * @param headers header fields with lowercase names, in order, hop-by-hop fields still present (the stage that
 *     forwards removes them, RFC 9110 §7.6.1)
 * @param protocol "HTTP/1.1", "HTTP/2" or "HTTP/3", or {@link #BHTTP} for a request that arrived inside an ACIP
 *     session (its content is delimited by the Binary HTTP message itself, as on an HTTP/2 stream)
 * @param form how the request addressed its target
 * @param secure whether the agent's connection was TLS (an intercepted tunnel counts as TLS)
 * @param clientCertificates the certificate chain the agent presented in its TLS handshake with the gateway, already
 *     verified against the listener's client trust anchors, leaf first; empty when it presented none
 * @param tunnel for a {@code TUNNELLED} request, what the handler attached to the CONNECT that opened the tunnel
 *     ({@link TunnelDecision.Intercept#attachment()}); null otherwise
 */
public record RequestInfo(String method, String scheme, String authority, String path, Fields headers,
                          String protocol, Form form, boolean secure, InetSocketAddress remote,
                          InetSocketAddress local, List<X509Certificate> clientCertificates, Object tunnel) {

    public RequestInfo {
        clientCertificates = clientCertificates == null ? List.of() : List.copyOf(clientCertificates);
    }

    /** A request on a connection without client certificates, outside any tunnel. */
    public RequestInfo(String method, String scheme, String authority, String path, Fields headers, String protocol,
                       Form form, boolean secure, InetSocketAddress remote, InetSocketAddress local) {
        this(method, scheme, authority, path, headers, protocol, form, secure, remote, local, List.of(), null);
    }

    /** This request with other header fields (a stage that consumed a credential removes it). */
    public RequestInfo withHeaders(Fields fields) {
        return new RequestInfo(method, scheme, authority, path, fields, protocol, form, secure, remote, local,
                clientCertificates, tunnel);
    }

    /** This request with another path and query (a stage that normalized it). */
    public RequestInfo withPath(String target) {
        return new RequestInfo(method, scheme, authority, target, headers, protocol, form, secure, remote, local,
                clientCertificates, tunnel);
    }

    /** The protocol of a request delivered from an ACIP session as Binary HTTP (RFC 9292). */
    public static final String BHTTP = "BHTTP";

    public enum Form {
        /** origin-form: the agent talks to the gateway as to an origin (reverse proxy). */
        ORIGIN,
        /** absolute-form: the agent uses the gateway as its HTTP proxy (HTTP_PROXY). */
        ABSOLUTE,
        /** a request inside a CONNECT tunnel whose TLS the gateway terminated (HTTPS_PROXY with interception). */
        TUNNELLED
    }

    /** Host part of the authority, without port or IPv6 brackets, lowercased. */
    public String host() {
        return Authority.host(authority);
    }

    /** Port of the authority, or the scheme's default. */
    public int port() {
        return Authority.port(authority, "https".equals(scheme) ? 443 : 80);
    }
}
