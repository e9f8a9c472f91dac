package io.acip.node;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * One end of a session at this node: a QUIC stream on a link ({@code StreamLeg}) or a session endpoint on this node
 * ({@link Session}), or one end of a {@link LoopRelay}. A node pairs two legs per session and moves packets between
 * them. Each leg lives on one of the node's event loops, {@link #loop}, and everything here runs on it; two paired
 * legs share their loop (a relay joins legs on different loops).
 */
public abstract class Leg {
    final EventLoop loop;
    Leg peer;
    /** The SETUP this leg brought in while it is being routed; null once answered. */
    PendingSetup pending;
    long lastActivityNanos = System.nanoTime();
    boolean finished;
    /** A SETUP that arrived on this leg and is not answered yet, kept for {@link NodeTimings#setupAnswered}. */
    TracedSetup traced;

    /** What {@link NodeTimings#setupAnswered} is told about a SETUP once answered. */
    record TracedSetup(String skill, String traceparent, long arrivedNanos) {
    }

    Leg(EventLoop loop) {
        this.loop = loop;
    }

    /** Whether the SETUP this leg brought in comes from an initiator on this node (the origin spends no hop). */
    boolean localInitiator() {
        return false;
    }

    /** Sends {@code packet} out of this leg, taking ownership; the leg writes its own label into the header. */
    abstract void transmit(ByteBuf packet);

    /** Sends a DGRAM out of this leg, taking ownership. */
    abstract void transmitDatagram(ByteBuf packet);

    /** Whether this leg can take more packets now; when it turns false the peer pauses its input. */
    abstract boolean isWritable();

    /** Stops or resumes taking input from whoever feeds this leg (hop-by-hop backpressure). */
    abstract void setInputPaused(boolean paused);

    /** Releases what the leg holds; called once, after its last packet. */
    abstract void release();

    /** For logs and RESET details. */
    abstract String describe();

    static void pair(Leg a, Leg b) {
        a.peer = b;
        b.peer = a;
    }

    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /** Tells the peer to pause or resume its input as this leg's writability changes. */
    final void writabilityChanged(boolean writable) {
        if (peer != null && !peer.finished) peer.setInputPaused(!writable);
    }
}
