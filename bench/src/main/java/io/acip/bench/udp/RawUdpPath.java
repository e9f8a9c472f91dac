package io.acip.bench.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: a connected UDP socket to the echo server on one Netty event loop ({@code client-raw}), OS-default
 * buffers, the same window as the gateway rows. What loopback UDP and the echo server sustain with nothing between.
 */
public final class RawUdpPath implements EchoPath {
    private final MultiThreadIoEventLoopGroup group =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("client-raw"), NioIoHandler.newFactory());
    private final EchoWindow window;
    private final Channel channel;

    public RawUdpPath(InetSocketAddress echo, Payload payload, int windowSize, Duration lossTimeout)
            throws InterruptedException {
        Channel[] ch = new Channel[1];
        window = new EchoWindow(group.next(), windowSize, lossTimeout, new EchoWindow.Sender() {
            @Override
            public boolean send(long seq) {
                ByteBuf b = ch[0].alloc().directBuffer(payload.size());
                payload.writeTo(b, seq);
                ch[0].write(b, ch[0].voidPromise());
                return true;
            }

            @Override
            public void flush() {
                ch[0].flush();
            }
        });
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(Math.max(2048, payload.size())))
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        DatagramPacket p = (DatagramPacket) msg;
                        try {
                            ByteBuf c = p.content();
                            if (c.readableBytes() >= Payload.MIN_SIZE) window.onEcho(Payload.seq(c, c.readerIndex()));
                        } finally {
                            p.release();
                        }
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext ctx) {
                        window.refill();
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // ICMP errors on a connected socket: the window counts the loss
                    }
                })
                .connect(echo, new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        ch[0] = channel;
    }

    @Override
    public EchoWindow window() {
        return window;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
