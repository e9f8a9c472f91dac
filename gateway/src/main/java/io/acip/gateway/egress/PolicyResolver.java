package io.acip.gateway.egress;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The direct-egress HTTP client's resolver: the addresses it connects to are the ones the egress policy checked in
 * the same lookup, so a name cannot answer one address for the check and another for the connection (DNS
 * rebinding). A refusal fails the connection with {@link DestinationProhibitedException}. Lookups run on
 * {@code executor}, never on the caller's thread (it may be a selector).
 */
public final class PolicyResolver implements SocketAddressResolver {
    private final EgressPolicy egress;
    private final Executor executor;

    public PolicyResolver(EgressPolicy egress, Executor executor) {
        this.egress = egress;
        this.executor = executor;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        executor.execute(() -> {
            EgressPolicy.Destination d = egress.resolve(host, port);
            if (d instanceof EgressPolicy.Allowed allowed) {
                promise.succeeded(allowed.addresses());
            } else {
                promise.failed(new DestinationProhibitedException(((EgressPolicy.Refused) d).failure()));
            }
        });
    }
}
