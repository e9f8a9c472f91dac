package io.acip.ingress.jetty;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Two in-memory endpoints joined back to back: what one flushes the other fills. An intercepted tunnel is spliced
 * to one end; the interception listener serves the other.
 *
 * <p>Written here rather than taken from Jetty's {@code MemoryEndPointPipe}, whose endpoints never tell their
 * connection that they closed (a selector does that for sockets): the HTTP/2 session on a closed pipe then stayed
 * in its factory's session container, one leak per intercepted connection. Each end here calls its connection's
 * {@code onClose} as a socket's selector would. Each direction holds at most {@code capacity} bytes; a writer past
 * that waits until the reader has taken some, so backpressure crosses the pipe.
 */
final class TunnelPipe {
    private final Object lock = new Object();
    private final Executor executor;
    private final int capacity;
    private final End tunnelSide;
    private final End servedSide;

    /**
     * @param servedAddress the peer address the served end reports (the interception target)
     * @param tunnelAddress the peer address the tunnel end reports
     */
    TunnelPipe(Scheduler scheduler, Executor executor, int capacity, SocketAddress servedAddress,
               SocketAddress tunnelAddress) {
        this.executor = executor;
        this.capacity = capacity;
        this.tunnelSide = new End(scheduler, servedAddress, tunnelAddress);
        this.servedSide = new End(scheduler, tunnelAddress, servedAddress);
        tunnelSide.peer = servedSide;
        servedSide.peer = tunnelSide;
    }

    /** The end a tunnel's bytes are spliced to. */
    End tunnelSide() {
        return tunnelSide;
    }

    /** The end the interception listener serves, as if a client had connected from {@code servedAddress}. */
    End servedSide() {
        return servedSide;
    }

    /** One end. Its inbox holds what the peer flushed and this end has not filled yet. */
    final class End extends AbstractEndPoint {
        private final SocketAddress local;
        private final SocketAddress remote;
        private final ArrayDeque<ByteBuffer> inbox = new ArrayDeque<>(); // guarded by lock
        private int queued; // guarded by lock
        private boolean eof; // guarded by lock: the peer shut its output or closed
        private End peer;
        private volatile Runnable onClosed = () -> { };

        private End(Scheduler scheduler, SocketAddress local, SocketAddress remote) {
            super(scheduler);
            this.local = local;
            this.remote = remote;
        }

        /** Runs once after this end closed and its connection heard of it. */
        void onClosed(Runnable action) {
            this.onClosed = action;
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return local;
        }

        @Override
        public SocketAddress getRemoteSocketAddress() {
            return remote;
        }

        @Override
        public Object getTransport() {
            return null;
        }

        @Override
        public int fill(ByteBuffer sink) throws IOException {
            if (isInputShutdown()) return -1;
            int filled = 0;
            boolean end;
            synchronized (lock) {
                while (!inbox.isEmpty() && BufferUtil.space(sink) > 0) {
                    ByteBuffer head = inbox.peek();
                    filled += BufferUtil.append(sink, head);
                    if (head.hasRemaining()) break;
                    inbox.poll();
                }
                queued -= filled;
                end = filled == 0 && inbox.isEmpty() && eof;
            }
            if (filled > 0) {
                notIdle();
                if (peer.getWriteFlusher().isPending()) executor.execute(peer.getWriteFlusher()::completeWrite);
                return filled;
            }
            if (end) {
                shutdownInput();
                return -1;
            }
            return 0;
        }

        @Override
        public boolean flush(ByteBuffer... buffers) throws IOException {
            if (!isOpen() || isOutputShutdown()) throw new EofException("pipe output closed");
            int moved = 0;
            boolean complete = true;
            synchronized (lock) {
                if (!peer.isOpen()) throw new EofException("the other end of the pipe closed");
                for (ByteBuffer buffer : buffers) {
                    int n = Math.min(buffer.remaining(), capacity - peer.queued);
                    if (n > 0) {
                        ByteBuffer copy = ByteBuffer.allocate(n); // the caller may reuse its buffer at once
                        copy.put(buffer.slice(buffer.position(), n)).flip();
                        buffer.position(buffer.position() + n);
                        peer.inbox.add(copy);
                        peer.queued += n;
                        moved += n;
                    }
                    if (buffer.hasRemaining()) {
                        complete = false;
                        break;
                    }
                }
            }
            if (moved > 0) {
                notIdle();
                wakeReader(peer);
            }
            return complete;
        }

        @Override
        protected void needsFillInterest() {
            boolean ready;
            synchronized (lock) {
                ready = !inbox.isEmpty() || eof;
            }
            if (ready) executor.execute(getFillInterest()::fillable);
        }

        // Called once the write is registered as pending: a read of the peer from now on completes it, and one
        // that happened before this check is caught here.
        @Override
        protected void onIncompleteFlush() {
            boolean ready;
            synchronized (lock) {
                ready = peer.queued < capacity || !peer.isOpen();
            }
            if (ready) executor.execute(getWriteFlusher()::completeWrite);
        }

        @Override
        protected void doShutdownOutput() {
            synchronized (lock) {
                peer.eof = true;
            }
            wakeReader(peer);
        }

        @Override
        protected void doClose() {
            synchronized (lock) {
                peer.eof = true;
                inbox.clear();
                queued = 0;
            }
            wakeReader(peer);
            if (peer.getWriteFlusher().isPending()) executor.execute(peer.getWriteFlusher()::completeWrite);
        }

        @Override
        public void onClose(Throwable cause) {
            super.onClose(cause);
            Connection connection = getConnection();
            if (connection != null) connection.onClose(cause);
            onClosed.run();
        }

        private void wakeReader(End reader) {
            if (reader.getFillInterest().isInterested()) executor.execute(reader.getFillInterest()::fillable);
        }
    }
}
