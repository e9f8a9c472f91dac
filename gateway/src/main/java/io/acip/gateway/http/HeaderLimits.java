package io.acip.gateway.http;

import io.acip.capsule.bhttp.BinaryHttpLimits;

/**
 * The header section sizes every hop holds messages to, so that what the edge accepts the far node forwards, and
 * what an origin may send the edge can write: the edge's listeners, the Binary HTTP between gateways and the far
 * node's client to origins all derive theirs from these. Over them, a request is 431 and an origin's response 502
 * {@code http_response_header_section_size} (RFC 9209 §2.3.12).
 *
 * @param request largest request line plus header section an agent may send (counted as HTTP/1.1 writes it)
 * @param response largest status line plus header section an origin may send
 */
public record HeaderLimits(int request, int response) {
    /** 16 KiB for requests, 32 KiB for responses: above what browsers, SDKs and common servers send. */
    public static final HeaderLimits DEFAULT = new HeaderLimits(16 * 1024, 32 * 1024);

    /** Room for the fields the gateway adds on the way (Via, Forwarded, acip-trajectory, Proxy-Status). */
    public static final int ADDED = 4 * 1024;

    public HeaderLimits {
        if (request < 1024 || response < 1024) throw new IllegalArgumentException("header limits below 1 KiB");
    }

    /**
     * Binary HTTP between gateways: a memory bound above both limits, also in its own accounting (32 octets per line,
     * RFC 9113 §6.5.2, against HTTP/1.1's 4), so that it never refuses what the hops at either end accept.
     */
    public BinaryHttpLimits binaryHttp() {
        int max = 2 * Math.max(request, response) + ADDED;
        return new BinaryHttpLimits(max, max);
    }

    /** The size of a request head as HTTP/1.1 writes it: request line and {@code name: value CRLF} per field. */
    public static int requestHeadSize(String method, String target, Iterable<io.acip.capsule.bhttp.Field> fields) {
        int size = method.length() + target.length() + " HTTP/1.1\r\n\r\n".length() + 1;
        for (io.acip.capsule.bhttp.Field f : fields) size += f.name().length() + f.value().length() + 4;
        return size;
    }
}
