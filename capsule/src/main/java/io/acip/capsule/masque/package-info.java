/**
 * MASQUE CONNECT-UDP request codecs: the URI template (RFC 9298 §2) a client
 * {@linkplain io.acip.capsule.masque.ConnectUdpTemplate#expand expands} and a proxy
 * {@linkplain io.acip.capsule.masque.ConnectUdpTemplate#match matches} to a
 * {@link io.acip.capsule.masque.ConnectUdpTarget} or a {@link io.acip.capsule.masque.ConnectUdpRejection} carrying
 * the status and Proxy-Status to answer with, and the {@code Capsule-Protocol} field (RFC 9297 §3.4).
 */
package io.acip.capsule.masque;
