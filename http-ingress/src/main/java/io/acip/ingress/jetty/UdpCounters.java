package io.acip.ingress.jetty;

/**
 * Names of the CONNECT-UDP counters in {@link IngressCounters}. The HTTP/3 listener counts under the same names, so
 * an operator sees one set of UDP figures whichever HTTP version carried the flows.
 */
public final class UdpCounters {
    /** The handler accepted a flow (101 / 200 sent or being sent). */
    public static final String FLOWS_ACCEPTED = "udp_flows_accepted";
    /** A CONNECT-UDP request was answered with an error: malformed, or refused by the handler. */
    public static final String FLOWS_REFUSED = "udp_flows_refused";
    /** UDP payloads (context ID 0) delivered from the agent to the handler. */
    public static final String DATAGRAMS_FROM_AGENT = "udp_datagrams_from_agent";
    /** UDP payloads the handler sent toward the agent and the listener took. */
    public static final String DATAGRAMS_TO_AGENT = "udp_datagrams_to_agent";
    /** HTTP Datagrams with a context ID other than 0 (not negotiated here, RFC 9298 §4), dropped. */
    public static final String DROPPED_CONTEXT_ID = "udp_dropped_context_id";
    /** UDP payloads over the largest one the flow carries, dropped (either direction). */
    public static final String DROPPED_OVERSIZE = "udp_dropped_oversize";
    /** Payloads toward a slow agent dropped because too much was queued already. */
    public static final String DROPPED_QUEUE_FULL = "udp_dropped_queue_full";
    /** Payloads from the agent dropped because too many arrived before the handler answered. */
    public static final String DROPPED_BEFORE_ACCEPT = "udp_dropped_before_accept";
    /** Flows closed after the idle timeout with no datagram either way. */
    public static final String FLOWS_IDLE_CLOSED = "udp_flows_idle_closed";
    /** Capsules of types this listener does not know, skipped (RFC 9297 §3.2). */
    public static final String CAPSULES_UNKNOWN = "udp_capsules_unknown";
    /** Malformed, truncated or oversized capsules; each aborted its flow (RFC 9297 §3.3). */
    public static final String CAPSULES_MALFORMED = "udp_capsules_malformed";

    private UdpCounters() {
    }
}
