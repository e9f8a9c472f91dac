package io.acip.gateway.origin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * One HTTP/1.1 connection to an origin, on one loop of {@link LoopOrigins}: it carries one exchange at a time (no
 * pipelining) and hands what the origin sends to that exchange. Anything the origin sends while no exchange is in
 * flight (a 408 before closing, stray bytes) closes it: it could only be misread as the next exchange's answer.
 */
final class OriginConnection extends ChannelInboundHandlerAdapter {
    /** Content pieces of at most this many bytes: one read's worth, so a piece becomes one write to the agent. */
    private static final int MAX_PIECE = 64 * 1024;
    private static final int MAX_STATUS_LINE = 8 * 1024;

    final LoopOrigins client;
    final LoopOrigins.Origin origin;
    final int loop;
    /** Whether it holds one of the origin's connection slots (set once connected; a closed one gives it back). */
    boolean counted;
    long idleSince;
    private final ResponseDecoder decoder;
    private Channel channel;
    private LoopOriginExchange exchange;

    OriginConnection(LoopOrigins client, LoopOrigins.Origin origin, int loop, int maxHeadBytes) {
        this.client = client;
        this.origin = origin;
        this.loop = loop;
        this.decoder = new ResponseDecoder(maxHeadBytes);
    }

    void install(Channel ch) {
        channel = ch;
        ch.pipeline().addLast(decoder, new HttpRequestEncoder(), this);
    }

    Channel channel() {
        return channel;
    }

    /**
     * Whether it can carry another exchange: open, nothing in flight, and nothing received beyond the last response
     * (bytes no request asked for, which the next exchange would read as the start of its answer).
     */
    boolean usable() {
        return exchange == null && channel.isActive() && !decoder.holdsBytes();
    }

    /** The exchange it carries from now on; {@code head}: a HEAD request, whose response has no content. */
    void attach(LoopOriginExchange ex, boolean head) {
        exchange = ex;
        decoder.head = head;
        channel.config().setAutoRead(true);
    }

    /**
     * The exchange is done with it and the origin keeps it open: back to the client's pool, unless more arrived than
     * the response (a wrong Content-Length, content after a HEAD response), which the next exchange must not read.
     */
    void detach() {
        exchange = null;
        decoder.head = false;
        if (decoder.holdsBytes()) {
            close();
            return;
        }
        channel.config().setAutoRead(true);
        client.release(this);
    }

    /** The exchange is done with it, and it cannot carry another (or the exchange failed). */
    void detachAndClose() {
        exchange = null;
        close();
    }

    void close() {
        channel.close();
    }

    /** Reads from the origin only while the exchange can pass the response on. */
    void reading(boolean on) {
        if (channel.config().isAutoRead() != on) channel.config().setAutoRead(on);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        LoopOriginExchange ex = exchange;
        if (ex != null) {
            ex.received((HttpObject) msg);
        } else {
            ReferenceCountUtil.release(msg);
            close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        LoopOriginExchange ex = exchange;
        exchange = null;
        client.closed(this);
        if (ex != null) ex.connectionClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LoopOriginExchange ex = exchange;
        exchange = null;
        close();
        if (ex != null) ex.fail(cause);
    }

    /** Netty's response decoder, told when the response answers a HEAD and so has no content (RFC 9112 §6.3). */
    private static final class ResponseDecoder extends HttpResponseDecoder {
        boolean head;

        ResponseDecoder(int maxHeadBytes) {
            super(new HttpDecoderConfig().setMaxInitialLineLength(MAX_STATUS_LINE).setMaxHeaderSize(maxHeadBytes)
                    .setMaxChunkSize(MAX_PIECE));
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            return head || super.isContentAlwaysEmpty(msg);
        }

        /** Bytes received and not yet decoded into a message. */
        boolean holdsBytes() {
            return actualReadableBytes() > 0;
        }
    }
}
