package io.acip.node;

/**
 * Durations a node measures, handed to whoever exports them (the gateway's metrics): the node itself keeps none, so
 * it needs no metrics library. Called on the node's event loop: implementations must not block.
 */
public interface NodeTimings {
    NodeTimings NONE = new NodeTimings() {
    };

    /** A session this node initiated opened {@code nanos} after it was asked to; {@code resumed} under a ticket. */
    default void sessionSetup(long nanos, boolean resumed) {
    }

    /** A link PING to {@code neighbour} came back after {@code nanos}. */
    default void linkRtt(String neighbour, long nanos) {
    }

    /** Whether {@link #setupAnswered} is wanted: the node keeps nothing per SETUP for it otherwise. */
    default boolean tracesSetups() {
        return false;
    }

    /**
     * A SETUP that arrived over a link (this node transit or responder) was answered {@code nanos} after it arrived:
     * {@code outcome} is {@code established} or the RESET code's token; {@code traceparent} the SETUP's TLV, or null.
     */
    default void setupAnswered(String skill, String traceparent, long nanos, String outcome) {
    }
}
