package io.acip.bench.udp;

import java.net.InetSocketAddress;

/** The CONNECT-UDP request target, from RFC 9298 §2's default template {@code /.well-known/masque/udp/{h}/{p}/}. */
final class MasquePaths {
    private MasquePaths() {
    }

    /** For an IPv4 target (a literal needs no percent-encoding). */
    static String connectUdp(InetSocketAddress target) {
        return "/.well-known/masque/udp/" + target.getAddress().getHostAddress() + "/" + target.getPort() + "/";
    }
}
