package io.acip.capsule;

import java.nio.ByteBuffer;

/** Receives the capsules a {@link CapsuleParser} completes, in stream order. */
public interface CapsuleListener {
    /**
     * Whether the listener wants capsules of this type. Values of unwanted types are skipped as they pass and never
     * buffered (RFC 9297 §3.2: "an endpoint that receives a Capsule with an unknown Capsule Type MUST silently drop").
     */
    default boolean wants(long type) {
        return type == CapsuleType.DATAGRAM;
    }

    /**
     * A complete capsule of a wanted type. {@code value} is a read-only view valid only during the call: a slice of
     * the caller's buffer when the capsule arrived in one piece, the parser's assembly buffer otherwise.
     */
    void onCapsule(long type, ByteBuffer value) throws CodecException;

    /** A capsule of an unwanted type was skipped; for counters. */
    default void onSkipped(long type, long length) {
    }
}
