package io.acip.gateway.udp;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.gateway.GatewayMetrics;
import io.acip.gateway.attach.UdpEndpoint;
import io.acip.gateway.egress.EgressPolicy;
import io.acip.ingress.DatagramTransport;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.UdpFlow;
import io.acip.node.SessionHandler;
import io.acip.node.SessionRefusedException;
import io.acip.wire.ResetCode;
import io.acip.wire.SkillName;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.unix.Errors;
import java.net.InetAddress;
import java.net.PortUnreachableException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's UDP plumbing, shared by its flows: a small event loop group of its own for DNS and for the direct
 * sockets of flows that no loop serves (HTTP/1.1 and HTTP/2 come from Jetty's pool; an HTTP/3 flow's socket joins
 * its QUIC connection's loop instead), the resolver, the settings and the counters. The node's loop carries
 * sessions and is not slowed by lookups.
 */
public final class UdpRelay implements AutoCloseable {
    /**
     * Sockets toward targets and agents' endpoints queue at most this much before payloads are dropped (counted as
     * socket_busy): a burst from a fast agent is absorbed (Netty's default 64 KiB cut bursts of ~50 full-size
     * datagrams), a stuck socket holds no more than this per flow.
     */
    static final WriteBufferWaterMark SOCKET_QUEUE = new WriteBufferWaterMark(128 * 1024, 256 * 1024);
    /** Kernel buffers of those sockets: room for bursts at loopback and LAN rates. */
    static final int SOCKET_BUFFER = 1 << 20;

    /**
     * UDP sockets on {@code loop}, of the transport it runs (a channel registers only on a loop of its kind; on a loop
     * of neither kind, registration fails and the caller's connect listener hears it).
     */
    static Bootstrap bootstrap(EventLoop loop) {
        return DatagramTransport.of(loop).orElse(DatagramTransport.NIO).bootstrap(loop);
    }

    /**
     * Whether a connected socket's failure is the ICMP port unreachable of an earlier datagram: NIO says so in its
     * type, epoll as ECONNREFUSED from sendmmsg (its reads translate it, its writes do not).
     */
    static boolean portUnreachable(Throwable cause) {
        return cause instanceof PortUnreachableException || cause instanceof Errors.NativeIoException e
                && e.expectedErr() == Errors.ERROR_ECONNREFUSED_NEGATIVE;
    }

    /** The options every UDP socket of the relay gets. */
    static Bootstrap datagramOptions(Bootstrap b) {
        return b.option(ChannelOption.WRITE_BUFFER_WATER_MARK, SOCKET_QUEUE)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER);
    }

    private final UdpSettings settings;
    private final EgressPolicy egress;
    private final boolean directUdp;
    private final GatewayMetrics metrics;
    private final EventLoopGroup group;
    private volatile TargetResolver resolver;

    /**
     * @param directUdp whether CONNECT-UDP to targets that are not skills may go direct at all (then {@code egress}
     *     decides per address)
     */
    public UdpRelay(UdpSettings settings, EgressPolicy egress, boolean directUdp, GatewayMetrics metrics) {
        this.settings = settings;
        this.egress = egress;
        this.directUdp = directUdp && egress.directAllowed();
        this.metrics = metrics;
        this.group = settings.transport().newGroup(1, "acip-udp-relay");
    }

    public UdpSettings settings() {
        return settings;
    }

    GatewayMetrics metrics() {
        return metrics;
    }

    /**
     * Where a direct flow's socket lives: on the loop that serves the flow when it has one of a transport we run (its
     * datagrams then pass between the agent's connection and the socket with no hand-off), else on the relay's own.
     */
    EventLoop loopFor(UdpFlow flow) {
        return flow.eventLoop().filter(l -> DatagramTransport.of(l).isPresent()).orElseGet(group::next);
    }

    /** Built on first use: a gateway that never sends UDP direct never opens a DNS socket. */
    TargetResolver resolver() {
        TargetResolver r = resolver;
        if (r == null) {
            synchronized (this) {
                r = resolver;
                if (r == null) {
                    r = new TargetResolver(group.next(), settings.nameservers(), settings.dnsTimeout());
                    resolver = r;
                }
            }
        }
        return r;
    }

    /** Serves a CONNECT-UDP to a target that is not a skill: refused, or a socket once resolved and allowed. */
    public void direct(UdpFlow flow) {
        metrics.inc("gateway.udp.flow.direct");
        String host = flow.request().host();
        if (!directUdp) {
            refuse(flow, new HttpFailure(403, ProxyErrorType.DESTINATION_IP_PROHIBITED, host
                    + " is not a skill and direct UDP egress is disabled on this gateway"));
            return;
        }
        resolver().resolve(host).whenComplete((resolution, error) -> {
            if (error != null) {
                refuse(flow, new HttpFailure(502, ProxyErrorType.PROXY_INTERNAL_ERROR, "lookup failed: " + error));
            } else if (resolution instanceof Resolution.Failed f) {
                refuse(flow, f.refusal());
            } else {
                Resolution.Addresses a = (Resolution.Addresses) resolution;
                Optional<String> refused = refusal(a);
                if (refused.isPresent()) {
                    refuse(flow, new HttpFailure(403, ProxyErrorType.DESTINATION_IP_PROHIBITED, host + ": "
                            + refused.get()));
                } else {
                    DirectFlow.open(this, flow, a.addresses().get(0));
                }
            }
        });
    }

    /** Every address is checked: a name that resolves inward even once is refused (DESIGN §4). */
    private Optional<String> refusal(Resolution.Addresses a) {
        for (InetAddress address : a.addresses()) {
            Optional<String> why = egress.refusal(address);
            if (why.isPresent()) return why;
        }
        return Optional.empty();
    }

    void refuse(UdpFlow flow, HttpFailure refusal) {
        metrics.inc("gateway.udp.flow.refused." + refusal.error().token());
        flow.refuse(refusal);
    }

    /**
     * The far side of a {@code udp} session for {@code skill} of {@code agent}: datagrams to and from the agent's UDP
     * endpoint, or a refusal ({@code destination_unavailable}, which the edge answers 503) when it registered none.
     */
    public SessionHandler deliver(String agent, Optional<UdpEndpoint> endpoint, SkillName skill)
            throws SessionRefusedException {
        if (endpoint.isEmpty()) {
            metrics.inc("gateway.udp.far.session.refused.no_endpoint");
            throw new SessionRefusedException(ResetCode.DESTINATION_UNAVAILABLE, "agent " + agent
                    + " registered no UDP endpoint, so skill " + skill + " takes no UDP flows");
        }
        return new FarDatagrams(this, agent, endpoint.get());
    }

    @Override
    public void close() {
        TargetResolver r = resolver;
        if (r != null) r.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
