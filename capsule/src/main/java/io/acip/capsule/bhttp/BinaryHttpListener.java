package io.acip.capsule.bhttp;

import java.nio.ByteBuffer;

/**
 * What a {@link BinaryHttpDecoder} reports, in wire order: for a response any {@code onInformational}, then the
 * head, then {@code onContent} as bytes arrive, then {@code onTrailers} (empty if there were none) and
 * {@code onComplete}. Called on the thread feeding the decoder.
 */
public interface BinaryHttpListener {
    /** An interim 1xx response (RFC 9292 §3.5.1). */
    default void onInformational(ResponseHead informational) {
    }

    /** Request control data and header section, delivered as soon as the header section is complete. */
    default void onRequestHead(RequestHead head, Fields headers) {
    }

    /** Final status and header section, delivered as soon as the header section is complete. */
    default void onResponseHead(ResponseHead head) {
    }

    /**
     * Some content: a view of the buffer being decoded, not a copy, so valid only during this call (copy what must
     * outlive it) and not to be written to. Chunk boundaries on the wire are not meaningful (RFC 9292 §3.2) and are not preserved: a large
     * chunk arrives in as many pieces as it was fed in.
     */
    default void onContent(ByteBuffer content) {
    }

    /** The trailer section, empty when the message had none or was truncated before it (RFC 9292 §3.8). */
    default void onTrailers(Fields trailers) {
    }

    /** The message is complete; only padding may follow. */
    default void onComplete() {
    }
}
