package io.acip.ingress;

/**
 * Request content, pulled by the stage that forwards it (Jetty's demand model: nothing is read before someone asks,
 * so a slow destination slows the agent down instead of filling the gateway's memory).
 */
public interface BodySource {
    /**
     * The next chunk, or null when none is ready yet (then call {@link #demand}). After the chunk with
     * {@code last() == true} nothing more comes. A failed body returns a chunk whose {@code failure()} is set.
     */
    BodyChunk read();

    /** Calls {@code onAvailable} once, on any thread, when {@link #read} has something to return. */
    void demand(Runnable onAvailable);

    /** Stops reading: the stage gave up on the request (the source discards what remains). */
    void abort(Throwable cause);
}
