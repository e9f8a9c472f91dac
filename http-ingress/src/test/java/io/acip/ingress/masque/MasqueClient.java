package io.acip.ingress.masque;

import io.acip.capsule.bhttp.Fields;
import java.time.Duration;

/**
 * A CONNECT-UDP client on one HTTP version, for tests that run one body over HTTP/1.1, HTTP/2 and HTTP/3 (the Envoy
 * habit in STYLE.md). Each implementation drives an independent client stack over a real socket to the gateway.
 */
public interface MasqueClient extends AutoCloseable {
    /** {@code HTTP/1.1}, {@code HTTP/2} or {@code HTTP/3}. */
    String httpVersion();

    /**
     * Sends a CONNECT-UDP request for {@code pathAndQuery} (already expanded from the template, sent as is) with
     * {@code :authority}/Host {@code authority}, plus {@code extraHeaders}, and waits for the response head.
     * With {@code capsuleProtocol} false the {@code Capsule-Protocol: ?1} field is left out.
     */
    Flow open(String authority, String pathAndQuery, Fields extraHeaders, boolean capsuleProtocol,
              Duration timeout) throws Exception;

    /** {@link #open} with the defaults: Capsule-Protocol sent, no extra fields. */
    default Flow open(String authority, String pathAndQuery, Duration timeout) throws Exception {
        return open(authority, pathAndQuery, Fields.EMPTY, true, timeout);
    }

    @Override
    void close() throws Exception;

    /** One request and, when it succeeded, its flow of UDP payloads. */
    interface Flow extends AutoCloseable {
        /** The final status: 101 (HTTP/1.1) or 200 on success. */
        int status();

        /** The response's header fields, lowercase names. */
        Fields headers();

        /** The response content (a problem document on refusal), read to its end; empty after success. */
        byte[] body();

        /** Sends a UDP payload with context ID 0: as a QUIC DATAGRAM on HTTP/3, else as a DATAGRAM capsule. */
        void send(byte[] payload) throws Exception;

        /** Sends one raw capsule on the stream (any type, e.g. a DATAGRAM capsule on HTTP/3, or an unknown type). */
        void sendCapsule(long type, byte[] value) throws Exception;

        /** Sends raw bytes on the stream as they are (e.g. one capsule split over several writes). */
        void sendRaw(byte[] bytes) throws Exception;

        /** The next UDP payload received (context ID 0, capsule or datagram), or null after {@code timeout}. */
        byte[] receive(Duration timeout) throws Exception;

        /** Whether the proxy ended the flow (stream end or reset, connection closed) within {@code timeout}. */
        boolean awaitClosed(Duration timeout) throws Exception;

        @Override
        void close() throws Exception;
    }
}
