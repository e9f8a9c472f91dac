package io.acip.gateway.origin;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The origin client's resolver: a request tagged with a {@link Pin} (an origin whose addresses were checked once,
 * {@link OriginConfig#addresses()}) connects to those addresses and is never looked up again, so a name cannot
 * answer an allowed address for the check and an inward one for the connection (DNS rebinding). The tag is part of
 * the connection pool's key, so pinned and unpinned requests to one host never share connections. Others resolve as
 * usual.
 */
final class PinnedResolver implements SocketAddressResolver {
    /** A request tag: connect to these addresses. */
    record Pin(List<InetAddress> addresses) {
    }

    private final SocketAddressResolver names;

    PinnedResolver(SocketAddressResolver names) {
        this.names = names;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        if (context.get(Destination.CONTEXT_KEY) instanceof Destination d && d.getOrigin().getTag() instanceof Pin pin) {
            promise.succeeded(pin.addresses().stream().map(a -> new InetSocketAddress(a, port)).toList());
        } else {
            names.resolve(host, port, context, promise);
        }
    }
}
