package io.acip.ingress;

import io.acip.capsule.bhttp.Fields;
import java.net.InetSocketAddress;

/** A CONNECT request: the target authority and the request's header fields (lowercase names). */
public record ConnectRequest(String host, int port, Fields headers, String protocol, InetSocketAddress remote) {
}
