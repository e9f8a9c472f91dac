package io.acip.ingress;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.bhttp.ResponseHead;
import java.nio.ByteBuffer;

/**
 * Where a response goes, in order: any informational responses, the head, content, then trailers or the last
 * content. Writes complete through {@link WriteCallback}; the caller sends the next piece only after the previous
 * one completed (so a slow agent slows the source down). Safe to call from any thread, one call at a time.
 */
public interface ResponseSink {
    /** A 1xx response other than 101 (e.g. 103 Early Hints); ignored by versions that cannot carry it. */
    void informational(ResponseHead head);

    /** The final response head. Hop-by-hop fields must already be removed; the listener adds its own. */
    void head(ResponseHead head, WriteCallback done);

    /**
     * The final response head with the content that came with it: what {@link #head} and then {@link #content}
     * would send, which a listener may send in one write (a small response then leaves at once, head, content and
     * end together, instead of in three writes).
     */
    default void head(ResponseHead head, ByteBuffer content, boolean last, WriteCallback done) {
        head(head, failure -> {
            if (failure != null) {
                done.done(failure);
            } else {
                content(content, last, done);
            }
        });
    }

    /** Content; {@code last} ends the response (no trailers). {@code data} may be reused once {@code done} ran. */
    void content(ByteBuffer data, boolean last, WriteCallback done);

    /** Ends the response with trailer fields (dropped where the agent's protocol cannot carry them). */
    void trailers(Fields trailers, WriteCallback done);

    /**
     * Ends the exchange with an error. Before the head was sent this answers with the failure's status,
     * {@code Proxy-Status} and problem document; after, it aborts the response so the agent sees it incomplete
     * (HTTP/2 and HTTP/3 stream reset, HTTP/1.1 connection close), never a silently truncated body.
     */
    void fail(HttpFailure failure);

    /** Whether the head has been sent. */
    boolean committed();
}
