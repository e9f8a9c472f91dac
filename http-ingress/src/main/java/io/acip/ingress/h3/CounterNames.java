package io.acip.ingress.h3;

/** The HTTP/3 listener's counter names; the UDP ones are shared with the Jetty listeners' CONNECT-UDP. */
final class CounterNames {
    static final String UDP_FLOWS_ACCEPTED = "udp_flows_accepted";
    static final String UDP_FLOWS_REFUSED = "udp_flows_refused";
    static final String UDP_DATAGRAMS_FROM_AGENT = "udp_datagrams_from_agent";
    static final String UDP_DATAGRAMS_TO_AGENT = "udp_datagrams_to_agent";
    static final String UDP_DROPPED_CONTEXT_ID = "udp_dropped_context_id";
    static final String UDP_DROPPED_OVERSIZE = "udp_dropped_oversize";
    static final String UDP_DROPPED_QUEUE_FULL = "udp_dropped_queue_full";
    static final String UDP_DROPPED_BEFORE_ACCEPT = "udp_dropped_before_accept";
    static final String UDP_FLOWS_IDLE_CLOSED = "udp_flows_idle_closed";
    static final String UDP_CAPSULES_UNKNOWN = "udp_capsules_unknown";
    static final String UDP_CAPSULES_MALFORMED = "udp_capsules_malformed";

    static final String H3_CONNECTIONS_ACCEPTED = "h3_connections_accepted";
    /** QUIC connections closed with CONNECTION_REFUSED: their client IP address held its limit already. */
    static final String H3_CONNECTIONS_REFUSED_PER_IP = "h3_connections_refused_per_ip";
    /** Request streams reset with H3_REQUEST_INCOMPLETE: no HEADERS frame within the head deadline. */
    static final String H3_REQUEST_HEAD_TIMEOUTS = "h3_request_head_timeouts";
    /**
     * Connections closed with H3_EXCESSIVE_LOAD: a header section over the advertised SETTINGS_MAX_FIELD_SECTION_SIZE
     * (RFC 9114 §4.2.2), or a frame of an unknown type too large to skip.
     */
    static final String H3_EXCESSIVE_LOAD = "h3_connections_excessive_load";
    /** Connections closed with H3_DATAGRAM_ERROR or H3_ID_ERROR for a datagram's quarter stream ID (RFC 9297 §2.1). */
    static final String H3_DATAGRAM_ERRORS = "h3_datagram_errors";
    /** QUIC DATAGRAMs for a stream that is closed, not a CONNECT-UDP flow, or never opened in time. */
    static final String H3_DATAGRAMS_UNKNOWN_STREAM = "h3_datagrams_unknown_stream";
    static final String H3_EXCHANGES = "h3_exchanges";
    /** Requests refused before reaching the handler (malformed head, plain CONNECT, unknown :protocol). */
    static final String H3_REQUESTS_REJECTED = "h3_requests_rejected";
    /** Header sections Netty found malformed (RFC 9114 §4.1.2): the stream was reset with H3_MESSAGE_ERROR. */
    static final String H3_REQUESTS_MALFORMED = "h3_requests_malformed";
    static final String H3_RESPONSES_ABORTED = "h3_responses_aborted";
    static final String H3_HANDLER_FAILED = "h3_handler_failed";

    private CounterNames() {
    }
}
