/**
 * The HTTP/1.1 and HTTP/2 listeners on Jetty 12.1 core: {@link io.acip.ingress.jetty.IngressServer} configured by
 * {@link io.acip.ingress.jetty.IngressConfig}. Requests become {@link io.acip.ingress.Exchange}s read and written on
 * demand (Jetty's {@code Request.read/demand} and {@code Response.write}); CONNECT tunnels are refused, spliced to a
 * direct connection, carried by the handler, or intercepted (TLS terminated with a minted leaf, the requests inside
 * served as exchanges of form {@code TUNNELLED}). CONNECT-UDP (RFC 9298) by HTTP/1.1 Upgrade and HTTP/2 extended
 * CONNECT becomes a {@link io.acip.ingress.UdpFlow} whose datagrams travel as capsules
 * ({@link io.acip.ingress.jetty.CapsuleFlowConnection}).
 */
package io.acip.ingress.jetty;
