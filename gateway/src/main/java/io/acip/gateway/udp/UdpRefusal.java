package io.acip.gateway.udp;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.capsule.proxystatus.ProxyStatus;
import io.acip.ingress.HttpFailure;
import java.util.Optional;

/**
 * Why a CONNECT-UDP request is refused: status, RFC 9209 error type, detail and, for {@code dns_error}, the DNS
 * RCODE (§2.3.2). {@link HttpFailure} has no room for extra Proxy-Status parameters yet, so {@link #failure()} carries
 * the RCODE in the detail text and {@link #proxyStatus} renders the full member for listeners that can send it.
 */
public record UdpRefusal(int status, ProxyErrorType error, String detail, Optional<String> rcode) {
    public static UdpRefusal of(int status, ProxyErrorType error, String detail) {
        return new UdpRefusal(status, error, detail, Optional.empty());
    }

    /** RFC 9209 §2.3.2: {@code dns_error} with the RCODE mnemonic, answered 502. */
    public static UdpRefusal dnsError(String rcode, String detail) {
        return new UdpRefusal(502, ProxyErrorType.DNS_ERROR, detail, Optional.of(rcode));
    }

    /** What {@link io.acip.ingress.UdpFlow#refuse} takes. */
    public HttpFailure failure() {
        return new HttpFailure(status, error, rcode.map(r -> "rcode " + r + ": ").orElse("") + detail);
    }

    /** The Proxy-Status member, e.g. {@code acip-gw; error=dns_error; rcode="NXDOMAIN"; details="..."}. */
    public String proxyStatus(String proxyName) {
        ProxyStatus p = ProxyStatus.of(proxyName).withError(error);
        if (rcode.isPresent()) p = p.withRcode(rcode.get());
        return p.withDetails(detail).toHeaderValue();
    }
}
