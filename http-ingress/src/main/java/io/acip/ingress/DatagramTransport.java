package io.acip.ingress;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Optional;

/**
 * The Netty transport of the gateway's UDP sockets (the HTTP/3 listener's, and the CONNECT-UDP relay's toward
 * targets): epoll on Linux where Netty's native library loads, which reads up to {@link #READ_BATCH} datagrams per
 * {@code recvmmsg} and writes what one flush holds with one {@code sendmmsg}; the JDK's NIO elsewhere, one system
 * call per datagram.
 */
public enum DatagramTransport {
    EPOLL("epoll"),
    NIO("nio");

    /**
     * Bytes of each datagram read: a longer one is cut to this, as NIO's default 2048-byte read buffer always did.
     * QUIC packets of this listener's agents are at most about 1500 bytes (it sends at most 1452).
     */
    public static final int READ_SIZE = 2048;
    /** Datagrams one {@code recvmmsg} may return; Netty's datagram channels read at most 16 messages per wake-up. */
    public static final int READ_BATCH = 16;

    private final String label;

    DatagramTransport(String label) {
        this.label = label;
    }

    /** Epoll where it is available, NIO otherwise. */
    public static DatagramTransport preferred() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** What {@code native_transport: auto} ({@code nativeWanted}) or {@code nio} gives on this machine. */
    public static DatagramTransport select(boolean nativeWanted) {
        return nativeWanted ? preferred() : NIO;
    }

    /** Why epoll cannot be used on this machine, or null when it can. */
    public static String epollUnavailable() {
        Throwable cause = Epoll.unavailabilityCause();
        return cause == null ? null : String.valueOf(cause.getMessage() != null ? cause.getMessage() : cause);
    }

    /** A new group of {@code threads} loops of this transport, their threads named {@code name-<pool>-<n>}. */
    public EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory io = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name), io);
    }

    public Class<? extends DatagramChannel> channelType() {
        return this == EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /**
     * A bootstrap of UDP sockets on {@code group}, whose loops must be of this transport. On epoll, reads are batched:
     * one {@code recvmmsg} fills up to {@link #READ_BATCH} slots of {@link #READ_SIZE} bytes of one pooled buffer.
     */
    public Bootstrap bootstrap(EventLoopGroup group) {
        Bootstrap b = new Bootstrap().group(group).channel(channelType());
        if (this == EPOLL) {
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, READ_SIZE)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(READ_SIZE * READ_BATCH));
        }
        return b;
    }

    /**
     * The transport whose channels register on {@code loop} (a channel registers only on a loop of its own kind);
     * empty for a loop of neither.
     */
    public static Optional<DatagramTransport> of(EventLoop loop) {
        if (loop instanceof IoEventLoop io) {
            if (io.isIoType(EpollIoHandler.class)) return Optional.of(EPOLL);
            if (io.isIoType(NioIoHandler.class)) return Optional.of(NIO);
        }
        return Optional.empty();
    }

    /** As the configuration spells it: {@code epoll} or {@code nio}. */
    @Override
    public String toString() {
        return label;
    }
}
