package io.acip.node;

import io.acip.wire.ResetCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Joins two legs of one session that live on different event loops of the node: a session endpoint and the link its
 * packets travel on, or a link and the endpoint that serves its session on another core. Each end is a leg on its
 * own loop; what leaves one end is handed, in order, to the other end's loop, where the node takes it as arriving
 * on that end. The node's per-packet code stays confined to one loop and takes no lock: the hand-over is the loop's
 * own task queue. Bytes handed over and not yet taken count against a high-water mark, so a fast loop cannot pile
 * work on a slow one; pausing crosses the same way.
 */
final class LoopRelay {
    static final int HIGH_WATER = 256 * 1024;
    /**
     * Datagrams in flight between the loops before more are dropped: a loop busy with its links' I/O takes its tasks
     * in batches, milliseconds apart, so datagrams need more room than streams (which pause instead) to keep a
     * transit node's rate.
     */
    static final int DATAGRAM_HIGH_WATER = 2 * 1024 * 1024;
    static final int LOW_WATER = 64 * 1024;

    /** On the loop of the leg the SETUP came in on. */
    final End near;
    /** On the loop of the next hop: the SETUP goes on from here. */
    final End far;

    LoopRelay(Node node, EventLoop upstream, EventLoop downstream, boolean localInitiator) {
        near = new End(node, upstream, false);
        far = new End(node, downstream, localInitiator);
        near.other = far;
        far.other = near;
    }

    static final class End extends Leg {
        private final Node node;
        private final boolean localInitiator;
        private End other;
        /** Bytes this end handed to the other loop that it has not taken yet. */
        private final AtomicInteger inFlight = new AtomicInteger();
        /** Set while this end waits for its in-flight bytes to drain; the other loop clears it and says so. */
        private final AtomicBoolean awaitingDrain = new AtomicBoolean();
        /** Whether the leg behind the other end takes more; confined to this end's loop, like the rest. */
        private boolean otherWritable = true;
        private boolean writable = true;

        private End(Node node, EventLoop loop, boolean localInitiator) {
            super(loop);
            this.node = node;
            this.localInitiator = localInitiator;
        }

        @Override
        boolean localInitiator() {
            return localInitiator;
        }

        /**
         * Whether the leg behind the other end is a link's: what comes out of this end then passes through the node
         * from link to link. Read once the session is set up, when the other loop paired that leg before it handed
         * over the SETUP_ACK.
         */
        boolean linkBehind() {
            return other.peer instanceof StreamLeg;
        }

        /** Runs {@code task} on the other end's loop; false when the node is shutting down. */
        boolean handOver(Runnable task) {
            try {
                other.loop.execute(task);
                return true;
            } catch (RejectedExecutionException e) {
                return false;
            }
        }

        @Override
        void transmit(ByteBuf packet) {
            if (pass(packet, false)) recheck();
        }

        @Override
        void transmitDatagram(ByteBuf packet) {
            if (inFlight.get() >= DATAGRAM_HIGH_WATER) { // datagrams may be lost; the backlog must not grow
                node.stats.inc("acip.dgram.dropped.relay_full");
                packet.release();
                return;
            }
            pass(packet, true);
        }

        /** Hands {@code packet} to the other end's loop, counted in flight until taken; false (released) if not. */
        private boolean pass(ByteBuf packet, boolean datagram) {
            int n = packet.readableBytes();
            inFlight.addAndGet(n);
            End to = other;
            if (handOver(() -> {
                try {
                    if (datagram) {
                        node.onRelayedDatagram(to, packet);
                    } else {
                        node.onStreamPacket(to, packet);
                    }
                } finally {
                    taken(n);
                }
            })) {
                return true;
            }
            inFlight.addAndGet(-n);
            packet.release();
            return false;
        }

        /** On the other loop: {@code n} bytes of this end's were taken; wakes this end once they drained. */
        private void taken(int n) {
            if (inFlight.addAndGet(-n) <= LOW_WATER && awaitingDrain.compareAndSet(true, false)) {
                try {
                    loop.execute(this::recheck);
                } catch (RejectedExecutionException e) {
                    // shutting down: nothing waits any more
                }
            }
        }

        /** Reports a change of writability to the leg feeding this end. */
        private void recheck() {
            boolean now = otherWritable && !backlogged();
            if (now == writable || finished) return;
            writable = now;
            writabilityChanged(now);
        }

        private boolean backlogged() {
            if (inFlight.get() < HIGH_WATER) return false;
            awaitingDrain.set(true);
            // Drained between the two reads: the other loop saw no one waiting, so nobody would say so.
            return !(inFlight.get() <= LOW_WATER && awaitingDrain.compareAndSet(true, false));
        }

        @Override
        boolean isWritable() {
            return writable;
        }

        /** The leg behind this end paused or resumed: the leg behind the other end pauses or resumes its input. */
        @Override
        void setInputPaused(boolean paused) {
            End o = other;
            handOver(() -> {
                o.otherWritable = !paused;
                o.recheck();
            });
        }

        /** Ended on this side: the other side ends too (after anything handed over before, which may have ended it). */
        @Override
        void release() {
            End o = other;
            handOver(() -> {
                if (!o.finished) node.abort(o, ResetCode.CANCELLED, "the session ended on another event loop");
            });
        }

        @Override
        String describe() {
            return "relay between event loops";
        }
    }
}
