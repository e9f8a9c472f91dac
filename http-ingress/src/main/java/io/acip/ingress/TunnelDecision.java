package io.acip.ingress;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/** How a CONNECT is served. */
public sealed interface TunnelDecision {
    /** The handler carries the bytes itself (e.g. as an ACIP byte-stream session): see {@link IngressHandler#onTunnel}. */
    record Carry(Object attachment) implements TunnelDecision {
    }

    /**
     * The listener answers 200, terminates the agent's TLS with a leaf certificate for the host minted by the
     * gateway's CA, and delivers the requests inside as exchanges of form {@code TUNNELLED}, each carrying
     * {@code attachment} as its {@link RequestInfo#tunnel()} (what the handler learnt from the CONNECT, such as who
     * sent it).
     */
    record Intercept(Object attachment) implements TunnelDecision {
        public Intercept() {
            this(null);
        }
    }

    /** The listener connects to this already resolved and policy-checked address and splices bytes both ways. */
    record Direct(InetSocketAddress address) implements TunnelDecision {
    }

    /**
     * Decided later: the CONNECT is answered once {@code decision} completes (RFC 9110 §9.3.6: a 2xx only once the
     * tunnel is set up, e.g. the session to a skill), with what it completes with. The handler must complete it
     * (within its own timeouts); failing it, or completing it with another {@code Pending}, answers 500.
     */
    record Pending(CompletionStage<TunnelDecision> decision) implements TunnelDecision {
    }

    /** Refused with this answer. */
    record Refuse(HttpFailure failure) implements TunnelDecision {
    }
}
