package io.acip.capsule.masque;

/**
 * What {@link ConnectUdpTemplate#match} makes of a request's path: the {@link ConnectUdpTarget} to open a UDP socket
 * to, or the {@link ConnectUdpRejection} to answer with.
 */
public sealed interface ConnectUdpMatch permits ConnectUdpTarget, ConnectUdpRejection {
}
