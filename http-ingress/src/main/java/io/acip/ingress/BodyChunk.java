package io.acip.ingress;

import io.acip.capsule.bhttp.Fields;
import java.nio.ByteBuffer;

/**
 * A piece of content. The data belongs to the source until {@link #release} is called: consume or copy it, then
 * release it exactly once.
 *
 * @param trailers trailer fields, only on the last chunk (empty when none)
 * @param failure set when the body could not be read to its end (client reset, malformed chunking)
 */
public record BodyChunk(ByteBuffer data, boolean last, Fields trailers, Throwable failure, Runnable releaser) {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final Runnable NOTHING = () -> { };

    public static BodyChunk end(Fields trailers) {
        return new BodyChunk(EMPTY, true, trailers, null, NOTHING);
    }

    public static BodyChunk failed(Throwable cause) {
        return new BodyChunk(EMPTY, true, Fields.EMPTY, cause, NOTHING);
    }

    public static BodyChunk of(ByteBuffer data, boolean last, Runnable release) {
        return new BodyChunk(data, last, Fields.EMPTY, null, release);
    }

    /** Gives the data back to the source; call exactly once, after the data was consumed or copied. */
    public void release() {
        releaser.run();
    }
}
