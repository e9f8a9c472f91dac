package io.acip.ingress.jetty;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http2.Flags;
import org.eclipse.jetty.http2.RateControl;
import org.eclipse.jetty.http2.parser.ServerParser;
import org.eclipse.jetty.io.ByteBufferPool;

/** Jetty's HTTP/2 server parser, telling an {@link H2HeadDeadline} where each frame begins and ends. */
final class HeadTimedServerParser extends ServerParser {
    private final H2HeadDeadline deadline;

    HeadTimedServerParser(ByteBufferPool bufferPool, int maxHeaderSize, RateControl rateControl,
                          H2HeadDeadline deadline) {
        super(bufferPool, maxHeaderSize, rateControl);
        this.deadline = deadline;
    }

    @Override
    public void parse(ByteBuffer buffer) {
        super.parse(buffer);
        deadline.readParsed();
    }

    @Override
    protected boolean parseHeader(ByteBuffer buffer) {
        if (!super.parseHeader(buffer)) return false;
        deadline.frameBegun(getFrameType());
        return true;
    }

    @Override
    protected boolean parseBody(ByteBuffer buffer) {
        int type = getFrameType(); // read before: a parsed body resets the frame header
        boolean endHeaders = hasFlag(Flags.END_HEADERS);
        if (!super.parseBody(buffer)) return false;
        deadline.frameParsed(type, endHeaders);
        return true;
    }
}
