package io.acip.capsule.masque;

/**
 * An expanded CONNECT-UDP URI template: what a client puts in {@code :scheme}, {@code :authority} and {@code :path}
 * (RFC 9298 §3.4), or in the HTTP/1.1 request line and Host (§3.2).
 *
 * @param pathAndQuery the path and optional query, starting with "/"
 */
public record ConnectUdpUri(String scheme, String authority, String pathAndQuery) {
    /** The absolute URI, e.g. {@code https://proxy.example/.well-known/masque/udp/192.0.2.6/443/}. */
    public String absolute() {
        return scheme + "://" + authority + pathAndQuery;
    }

    @Override
    public String toString() {
        return absolute();
    }
}
