package io.acip.bench.fabric;

import io.acip.node.IncomingSession;
import io.acip.node.LocalSkill;
import io.acip.node.Session;
import io.acip.node.SessionHandler;
import io.acip.wire.ResetCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * The responder skill the fabric figures are measured at: counts the bytes and datagrams its sessions receive and
 * drops them. When the initiator finishes its direction, it finishes its own, so the session closes cleanly.
 */
public final class SinkSkill implements LocalSkill {
    private final LongAdder bytes = new LongAdder();
    private final LongAdder datagrams = new LongAdder();
    private volatile CompletableFuture<String> lastEnd = new CompletableFuture<>();

    public long bytes() {
        return bytes.sum();
    }

    public long datagrams() {
        return datagrams.sum();
    }

    /** How the latest session accepted ended: "closed", or the reset code and detail. */
    public CompletableFuture<String> lastEnd() {
        return lastEnd;
    }

    @Override
    public SessionHandler accept(IncomingSession session) {
        CompletableFuture<String> end = new CompletableFuture<>();
        lastEnd = end;
        return new SessionHandler() {
            @Override
            public void onData(Session s, ByteBuf data, boolean fin) {
                bytes.add(data.readableBytes());
                if (fin) s.write(Unpooled.EMPTY_BUFFER, true);
            }

            @Override
            public void onDatagram(Session s, ByteBuf payload) {
                datagrams.increment();
            }

            @Override
            public void onClose(Session s) {
                end.complete("closed");
            }

            @Override
            public void onReset(Session s, ResetCode code, String detail) {
                end.complete(code.token() + ": " + detail);
            }
        };
    }
}
