/**
 * The HTTP/3 listener on Netty QUIC: requests become {@link io.acip.ingress.Exchange}s, CONNECT-UDP requests
 * (RFC 9298 over RFC 9220 extended CONNECT) become {@link io.acip.ingress.UdpFlow}s whose UDP payloads travel as
 * HTTP Datagrams (RFC 9297): QUIC DATAGRAM frames when the agent negotiated them, DATAGRAM capsules otherwise.
 * Quarter stream IDs, context IDs and capsules stay in this package.
 */
package io.acip.ingress.h3;
