package io.acip.bench.udp;

import java.net.InetSocketAddress;

/** The CONNECT-UDP request target, from RFC 9298 §2's default template {@code /.well-known/masque/udp/{h}/{p}/}. */
final class MasquePaths {
    private MasquePaths() {
    }

    /**
     * For an IPv4 target (a literal needs no percent-encoding), or an unresolved one named by a DNS name (a skill
     * host such as {@code udp-echo.demo.acip}: letters, digits, dots and hyphens need none either).
     */
    static String connectUdp(InetSocketAddress target) {
        String host = target.isUnresolved() ? target.getHostString() : target.getAddress().getHostAddress();
        return "/.well-known/masque/udp/" + host + "/" + target.getPort() + "/";
    }
}
