package io.acip.gateway.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A name server on loopback for tests: names given an address answer A (AAAA: no data), names given a response code
 * answer with it, and every other name gets no answer at all (for timeouts).
 */
final class FakeDnsServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<String, InetAddress> addresses = new ConcurrentHashMap<>();
    private final Map<String, DnsResponseCode> codes = new ConcurrentHashMap<>();
    final AtomicInteger queries = new AtomicInteger();
    private final Channel channel;

    FakeDnsServer() throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new io.netty.channel.ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new Answerer());
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    }

    FakeDnsServer answer(String name, String ipv4) throws Exception {
        addresses.put(absolute(name), InetAddress.getByName(ipv4));
        return this;
    }

    FakeDnsServer fail(String name, DnsResponseCode code) {
        codes.put(absolute(name), code);
        return this;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    private static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Answerer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            queries.incrementAndGet();
            DnsQuestion q = query.recordAt(DnsSection.QUESTION);
            String name = q.name().toLowerCase(java.util.Locale.ROOT);
            InetAddress a = addresses.get(name);
            DnsResponseCode code = codes.get(name);
            if (a == null && code == null) return; // silence
            DatagramDnsResponse r = new DatagramDnsResponse(query.recipient(), query.sender(), query.id(),
                    query.opCode(), a != null ? DnsResponseCode.NOERROR : code);
            r.setRecursionDesired(query.isRecursionDesired()).setRecursionAvailable(true);
            r.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(q.name(), q.type()));
            if (a != null && q.type() == DnsRecordType.A) {
                r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(q.name(), DnsRecordType.A, 60,
                        Unpooled.wrappedBuffer(a.getAddress())));
            }
            ctx.writeAndFlush(r);
        }
    }
}
